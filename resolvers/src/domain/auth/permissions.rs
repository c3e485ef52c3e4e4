//! Roles and the 46 permission strings of the reference, with the role map.

/// A staff role, or the customer role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, async_graphql::Enum)]
pub enum Role {
    SuperAdmin,
    Admin,
    Manager,
    Customer,
}

impl Role {
    /// The role's string as stored in `admin_users.role`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SuperAdmin => "super_admin",
            Self::Admin => "admin",
            Self::Manager => "manager",
            Self::Customer => "customer",
        }
    }

    /// Parses a stored role string.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::SuperAdmin, Self::Admin, Self::Manager, Self::Customer]
            .into_iter()
            .find(|r| r.as_str() == s)
    }

    /// True for the three staff roles.
    pub fn is_staff(self) -> bool {
        !matches!(self, Self::Customer)
    }

    /// The permissions the role grants.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission as P;
        const MANAGER: &[Permission] = &[
            P::ProductsCreate,
            P::ProductsRead,
            P::ProductsUpdate,
            P::CategoriesRead,
            P::CustomersRead,
            P::OrdersRead,
            P::OrdersUpdate,
            P::MediaCreate,
            P::MediaRead,
            P::DiscountsRead,
            P::ShippingRead,
            P::PaymentRead,
            P::TaxRead,
            P::ApiKeysManage,
        ];
        match self {
            Self::SuperAdmin | Self::Admin => &Permission::ADMIN,
            Self::Manager => MANAGER,
            Self::Customer => &Permission::STORE,
        }
    }
}

macro_rules! permissions {
    ($( $variant:ident = $s:literal, )*) => {
        /// One permission string of the reference (`products.read`, `store.checkout`, …).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Permission { $( $variant, )* }

        impl Permission {
            /// Every permission, admin ones first.
            pub const ALL: [Permission; 46] = [ $( Permission::$variant, )* ];

            /// The permission's string.
            pub fn as_str(self) -> &'static str {
                match self { $( Permission::$variant => $s, )* }
            }
        }
    };
}

permissions! {
    ProductsCreate = "products.create",
    ProductsRead = "products.read",
    ProductsUpdate = "products.update",
    ProductsDelete = "products.delete",
    CategoriesCreate = "categories.create",
    CategoriesRead = "categories.read",
    CategoriesUpdate = "categories.update",
    CategoriesDelete = "categories.delete",
    CustomersCreate = "customers.create",
    CustomersRead = "customers.read",
    CustomersUpdate = "customers.update",
    CustomersDelete = "customers.delete",
    OrdersCreate = "orders.create",
    OrdersRead = "orders.read",
    OrdersUpdate = "orders.update",
    OrdersDelete = "orders.delete",
    MediaCreate = "media.create",
    MediaRead = "media.read",
    MediaDelete = "media.delete",
    SettingsRead = "settings.read",
    SettingsUpdate = "settings.update",
    PluginsManage = "plugins.manage",
    AuditRead = "audit.read",
    DiscountsCreate = "discounts.create",
    DiscountsRead = "discounts.read",
    DiscountsUpdate = "discounts.update",
    DiscountsDelete = "discounts.delete",
    ShippingCreate = "shipping.create",
    ShippingRead = "shipping.read",
    ShippingUpdate = "shipping.update",
    ShippingDelete = "shipping.delete",
    PaymentCreate = "payment.create",
    PaymentRead = "payment.read",
    PaymentUpdate = "payment.update",
    PaymentDelete = "payment.delete",
    TaxCreate = "tax.create",
    TaxRead = "tax.read",
    TaxUpdate = "tax.update",
    TaxDelete = "tax.delete",
    ApiKeysManage = "api_keys.manage",
    StoreProductsRead = "store.products.read",
    StoreCartManage = "store.cart.manage",
    StoreCheckout = "store.checkout",
    StoreAccountRead = "store.account.read",
    StoreAccountUpdate = "store.account.update",
    StoreOrdersRead = "store.orders.read",
}

impl Permission {
    /// The 40 admin permissions.
    pub const ADMIN: [Permission; 40] = {
        let mut out = [Permission::ProductsCreate; 40];
        let mut i = 0;
        while i < 40 {
            out[i] = Permission::ALL[i];
            i += 1;
        }
        out
    };

    /// The 6 store permissions.
    pub const STORE: [Permission; 6] = {
        let mut out = [Permission::StoreProductsRead; 6];
        let mut i = 0;
        while i < 6 {
            out[i] = Permission::ALL[40 + i];
            i += 1;
        }
        out
    };

    /// Parses a permission string.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// True for the `store.*` permissions.
    pub fn is_store(self) -> bool {
        self.as_str().starts_with("store.")
    }
}

impl std::fmt::Display for Permission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_40_admin_and_6_store_permissions() {
        assert_eq!(
            Permission::ADMIN.iter().filter(|p| !p.is_store()).count(),
            40
        );
        assert_eq!(Permission::STORE.iter().filter(|p| p.is_store()).count(), 6);
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(p));
        }
    }

    #[test]
    fn manager_cannot_delete_products_or_update_settings() {
        let m = Role::Manager.permissions();
        assert!(m.contains(&Permission::ProductsUpdate));
        assert!(!m.contains(&Permission::ProductsDelete));
        assert!(!m.contains(&Permission::SettingsUpdate));
        assert_eq!(Role::Admin.permissions().len(), 40);
    }
}
