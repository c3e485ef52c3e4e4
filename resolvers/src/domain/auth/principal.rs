//! Who is calling: resolved once per request (HTTP header or WebSocket `connection_init`).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::permissions::{Permission, Role};

/// The caller of an operation.
#[derive(Debug, Clone, Default)]
pub enum Principal {
    /// No credentials.
    #[default]
    Anonymous,
    /// A staff user signed in with a JWT.
    Staff {
        user_id: Uuid,
        email: String,
        role: Role,
        token: TokenRef,
    },
    /// A customer signed in with a JWT.
    Customer {
        customer_id: Uuid,
        email: String,
        token: TokenRef,
    },
    /// A staff integration key (`ck_…`): only its own permissions.
    StaffKey {
        key_id: Uuid,
        created_by: Option<Uuid>,
        permissions: Vec<Permission>,
    },
    /// A customer key (`sk_…`): acts as the customer, limited to its permissions.
    CustomerKey {
        key_id: Uuid,
        customer_id: Uuid,
        permissions: Vec<Permission>,
    },
}

/// The access token a JWT principal came with (for logout).
#[derive(Debug, Clone)]
pub struct TokenRef {
    pub jti: Uuid,
    pub expires_at: DateTime<Utc>,
}

impl Principal {
    /// True when the principal holds the permission.
    pub fn has(&self, p: Permission) -> bool {
        match self {
            Self::Anonymous => false,
            Self::Staff { role, .. } => role.permissions().contains(&p),
            Self::Customer { .. } => Role::Customer.permissions().contains(&p),
            Self::StaffKey { permissions, .. } | Self::CustomerKey { permissions, .. } => {
                permissions.contains(&p)
            }
        }
    }

    /// True for staff users and staff keys.
    pub fn is_staff(&self) -> bool {
        matches!(self, Self::Staff { .. } | Self::StaffKey { .. })
    }

    /// The customer this principal acts for, if any.
    pub fn customer_id(&self) -> Option<Uuid> {
        match self {
            Self::Customer { customer_id, .. } | Self::CustomerKey { customer_id, .. } => {
                Some(*customer_id)
            }
            _ => None,
        }
    }

    /// The staff user this principal acts for (a key acts for its creator).
    pub fn staff_user_id(&self) -> Option<Uuid> {
        match self {
            Self::Staff { user_id, .. } => Some(*user_id),
            Self::StaffKey { created_by, .. } => *created_by,
            _ => None,
        }
    }

    /// The permissions the principal holds.
    pub fn permissions(&self) -> Vec<Permission> {
        Permission::ALL
            .into_iter()
            .filter(|p| self.has(*p))
            .collect()
    }

    /// The audit `user_type` of the principal.
    pub fn audit_type(&self) -> &'static str {
        match self {
            Self::Anonymous => "anonymous",
            Self::Staff { .. } => "admin",
            Self::Customer { .. } => "customer",
            Self::StaffKey { .. } | Self::CustomerKey { .. } => "api_key",
        }
    }

    /// The audit `user_id` of the principal.
    pub fn audit_id(&self) -> Option<Uuid> {
        match self {
            Self::Anonymous => None,
            Self::Staff { user_id, .. } => Some(*user_id),
            Self::Customer { customer_id, .. } => Some(*customer_id),
            Self::StaffKey { key_id, .. } | Self::CustomerKey { key_id, .. } => Some(*key_id),
        }
    }
}
