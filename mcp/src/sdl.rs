//! What the tool derivation needs to know about the GraphQL schema, read from its SDL:
//! input types (fields, types, defaults, doc comments), enums, scalars, and the arguments
//! of object fields.

use std::collections::HashMap;

use async_graphql::parser::types::{
    BaseType, InputValueDefinition, Type, TypeKind, TypeSystemDefinition,
};
use async_graphql::{Name, Positioned};
use serde_json::Value as Json;

/// An argument or an input-object field.
#[derive(Debug, Clone)]
pub struct InputValue {
    pub name: String,
    pub description: Option<String>,
    pub ty: Type,
    pub default: Option<Json>,
}

/// A field of an object or interface type.
#[derive(Debug, Clone)]
pub struct Field {
    pub args: Vec<InputValue>,
    pub ty: Type,
}

/// A named type.
#[derive(Debug, Clone)]
pub enum TypeDef {
    Scalar {
        description: Option<String>,
    },
    Enum {
        description: Option<String>,
        values: Vec<String>,
    },
    Input {
        description: Option<String>,
        fields: Vec<InputValue>,
    },
    /// Objects and interfaces.
    Object {
        fields: HashMap<String, Field>,
    },
    Union,
}

/// The schema, indexed by type name.
#[derive(Debug, Clone)]
pub struct SchemaIndex {
    types: HashMap<String, TypeDef>,
    pub query: String,
    pub mutation: String,
    pub subscription: String,
}

fn input_value(v: &Positioned<InputValueDefinition>) -> InputValue {
    let v = &v.node;
    InputValue {
        name: v.name.node.to_string(),
        description: v.description.as_ref().map(|d| d.node.clone()),
        ty: v.ty.node.clone(),
        default: v
            .default_value
            .as_ref()
            .and_then(|d| d.node.clone().into_json().ok()),
    }
}

fn name_of(n: &Option<Positioned<Name>>, default: &str) -> String {
    n.as_ref()
        .map_or_else(|| default.to_owned(), |n| n.node.to_string())
}

impl SchemaIndex {
    /// Parses SDL (as printed by `Schema::sdl()`).
    pub fn parse(sdl: &str) -> Result<Self, String> {
        let doc = async_graphql::parser::parse_schema(sdl)
            .map_err(|e| format!("the schema SDL does not parse: {e}"))?;
        let mut types = HashMap::new();
        for name in ["Int", "Float", "String", "Boolean", "ID"] {
            types.insert(name.to_owned(), TypeDef::Scalar { description: None });
        }
        let (mut query, mut mutation, mut subscription) = (
            "Query".to_owned(),
            "Mutation".to_owned(),
            "Subscription".to_owned(),
        );
        for def in doc.definitions {
            match def {
                TypeSystemDefinition::Schema(s) => {
                    let s = s.node;
                    query = name_of(&s.query, "Query");
                    mutation = name_of(&s.mutation, "Mutation");
                    subscription = name_of(&s.subscription, "Subscription");
                }
                TypeSystemDefinition::Type(t) => {
                    let t = t.node;
                    let description = t.description.map(|d| d.node);
                    let def = match t.kind {
                        TypeKind::Scalar => TypeDef::Scalar { description },
                        TypeKind::Enum(e) => TypeDef::Enum {
                            description,
                            values: e
                                .values
                                .iter()
                                .map(|v| v.node.value.node.to_string())
                                .collect(),
                        },
                        TypeKind::InputObject(i) => TypeDef::Input {
                            description,
                            fields: i.fields.iter().map(input_value).collect(),
                        },
                        TypeKind::Object(o) => TypeDef::Object {
                            fields: o
                                .fields
                                .iter()
                                .map(|f| {
                                    let f = &f.node;
                                    (
                                        f.name.node.to_string(),
                                        Field {
                                            args: f.arguments.iter().map(input_value).collect(),
                                            ty: f.ty.node.clone(),
                                        },
                                    )
                                })
                                .collect(),
                        },
                        TypeKind::Interface(o) => TypeDef::Object {
                            fields: o
                                .fields
                                .iter()
                                .map(|f| {
                                    let f = &f.node;
                                    (
                                        f.name.node.to_string(),
                                        Field {
                                            args: f.arguments.iter().map(input_value).collect(),
                                            ty: f.ty.node.clone(),
                                        },
                                    )
                                })
                                .collect(),
                        },
                        TypeKind::Union(_) => TypeDef::Union,
                    };
                    types.insert(t.name.node.to_string(), def);
                }
                TypeSystemDefinition::Directive(_) => {}
            }
        }
        Ok(Self {
            types,
            query,
            mutation,
            subscription,
        })
    }

    /// A named type.
    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        self.types.get(name)
    }

    /// The field `name` of the object or interface type `ty`.
    pub fn field(&self, ty: &str, name: &str) -> Option<&Field> {
        match self.types.get(ty)? {
            TypeDef::Object { fields } => fields.get(name),
            _ => None,
        }
    }

    /// The fields of an input-object type.
    pub fn input_fields(&self, ty: &str) -> Option<&[InputValue]> {
        match self.types.get(ty)? {
            TypeDef::Input { fields, .. } => Some(fields),
            _ => None,
        }
    }
}

/// The named type at the bottom of a (list / non-null) type.
pub fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(n) => n.as_str(),
        BaseType::List(inner) => named(inner),
    }
}
