//! Customers (staff CRUD) and addresses (staff and the customer's own address book) over
//! GraphQL and REST: reference shapes, search and filters, email conflicts, validation,
//! defaults that must be the customer's own addresses, privacy of address books,
//! permissions and audit entries.

use crate::catalog_admin::{keys, rest};
use reqwest::Method;
use serde_json::{Value, json};
use stoa_tests::{Auth, TestApp};

const MARIA: &str = "0d000000-0000-4000-800c-000000000001";
const MARIA_ADDRESS: &str = "0d000000-0000-4000-800d-000000000001";
const THOMAS_ADDRESS: &str = "0d000000-0000-4000-800d-000000000002";

fn code(v: &Value) -> &str {
    v["errors"][0]["code"].as_str().unwrap_or_default()
}

fn field(v: &Value) -> &str {
    v["errors"][0]["field"].as_str().unwrap_or_default()
}

fn id(v: &Value) -> String {
    v["data"]["id"].as_str().expect("id").to_owned()
}

fn address(street: &str) -> Value {
    json!({
        "first_name": "Ada", "last_name": "Lovelace", "street": street,
        "city": "London", "zip": "N1 9GU", "country_code": "gb"
    })
}

async fn staff_key(app: &TestApp, perms: &[&str]) -> Auth {
    let admin = app.staff("admin").await;
    let key = app
        .gql(
            &admin,
            "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }",
            json!({"i": {"name": "crm", "permissions": perms}}),
        )
        .await
        .ok()
        .data("createApiKey.key")
        .as_str()
        .expect("key")
        .to_owned();
    Auth::ApiKey(key)
}

async fn audit_actions(app: &TestApp, admin: &Auth, entity: &str) -> Vec<String> {
    let r = app
        .gql(
            admin,
            "query($t: String) { auditLog(entityType: $t, limit: 100) { items { action } } }",
            json!({"t": entity}),
        )
        .await
        .ok();
    r.data("auditLog.items")
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["action"].as_str().expect("action").to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_customer_crud_over_rest_in_reference_shapes() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let admin = app.staff("admin").await;

    let (s, created) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/customers",
        &admin,
        Some(
            json!({"email": " Ada@Example.com ", "password": "analytical-engine",
                    "first_name": "Ada", "last_name": "Lovelace"}),
        ),
    )
    .await;
    assert_eq!(s, 201, "{created}");
    assert_eq!(
        keys(&created["data"]),
        [
            "id",
            "email",
            "first_name",
            "last_name",
            "active",
            "created_at",
            "updated_at"
        ]
    );
    assert_eq!(created["data"]["email"], "ada@example.com");
    assert_eq!(created["data"]["active"], true);
    let ada = id(&created);

    // Email uniqueness is case-insensitive, on create and on update.
    let (s, dup) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/customers",
        &admin,
        Some(
            json!({"email": "ADA@example.com", "password": "analytical-engine",
                    "first_name": "A", "last_name": "L"}),
        ),
    )
    .await;
    assert_eq!((s, code(&dup)), (409, "email_taken"));
    let (s, dup) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/customers/{ada}"),
        &admin,
        Some(json!({"email": "Maria@Example.com"})),
    )
    .await;
    assert_eq!((s, code(&dup)), (409, "email_taken"));

    // Validation: 422 with the Go-style field name; bad JSON and bad ids are 400.
    for (body, f) in [
        (
            json!({"email": "x@example.com", "password": "short", "first_name": "X", "last_name": "Y"}),
            "Password",
        ),
        (
            json!({"email": "not-an-email", "password": "long-enough-1", "first_name": "X", "last_name": "Y"}),
            "Email",
        ),
        (
            json!({"email": "x@example.com", "password": "long-enough-1", "last_name": "Y"}),
            "FirstName",
        ),
    ] {
        let (s, e) = rest(
            &app,
            Method::POST,
            "/api/v1/admin/customers",
            &admin,
            Some(body),
        )
        .await;
        assert_eq!(
            (s, code(&e), field(&e)),
            (422, "validation_error", f),
            "{e}"
        );
    }
    let Auth::Bearer(token) = &admin else {
        panic!("staff logins are bearer tokens")
    };
    let resp = app
        .http()
        .post(app.url("/api/v1/admin/customers"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status().as_u16(), 400);
    let e: Value = resp.json().await.expect("json");
    assert_eq!(code(&e), "invalid_body");
    let (s, e) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/customers/nope",
        &admin,
        None,
    )
    .await;
    assert_eq!((s, code(&e), field(&e)), (400, "invalid_param", "id"));
    let (s, e) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/customers/{}", uuid::Uuid::now_v7()),
        &admin,
        None,
    )
    .await;
    assert_eq!((s, code(&e)), (404, "not_found"));
    assert_eq!(e["errors"][0]["detail"], "customer not found");

    // Addresses of a customer (a Stoa addition), in the reference's AddressResponse shape.
    let (s, home) = rest(
        &app,
        Method::POST,
        &format!("/api/v1/admin/customers/{ada}/addresses"),
        &admin,
        Some(address("12 St James's Square")),
    )
    .await;
    assert_eq!(s, 201, "{home}");
    assert_eq!(
        keys(&home["data"]),
        [
            "id",
            "customer_id",
            "first_name",
            "last_name",
            "street",
            "city",
            "zip",
            "country_code",
            "created_at",
            "updated_at"
        ]
    );
    assert_eq!(home["data"]["country_code"], "GB");
    let home = id(&home);
    let mut office_body = address("Somerset House");
    office_body["company"] = json!("Analytical Engines Ltd");
    office_body["phone"] = json!("+44 20 0000");
    let (s, office) = rest(
        &app,
        Method::POST,
        &format!("/api/v1/admin/customers/{ada}/addresses"),
        &admin,
        Some(office_body),
    )
    .await;
    assert_eq!(s, 201);
    assert_eq!(office["data"]["company"], "Analytical Engines Ltd");
    let office = id(&office);
    let mut missing = address("x");
    missing.as_object_mut().expect("obj").remove("street");
    let (s, e) = rest(
        &app,
        Method::POST,
        &format!("/api/v1/admin/customers/{ada}/addresses"),
        &admin,
        Some(missing),
    )
    .await;
    assert_eq!(
        (s, code(&e), field(&e)),
        (422, "validation_error", "Street")
    );
    let mut bad_country = address("x");
    bad_country["country_code"] = json!("Deutschland");
    let (s, e) = rest(
        &app,
        Method::POST,
        &format!("/api/v1/admin/customers/{ada}/addresses"),
        &admin,
        Some(bad_country),
    )
    .await;
    assert_eq!((s, field(&e)), (422, "CountryCode"));

    // Partial update: defaults must be the customer's own addresses; custom fields keep
    // their keys.
    let (s, e) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/customers/{ada}"),
        &admin,
        Some(json!({"default_shipping_address_id": MARIA_ADDRESS})),
    )
    .await;
    assert_eq!(
        (s, code(&e), field(&e)),
        (422, "validation_error", "DefaultShippingAddressId")
    );
    let (s, updated) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/customers/{ada}"),
        &admin,
        Some(
            json!({"first_name": "", "last_name": "King", "default_billing_address_id": home,
                    "default_shipping_address_id": office, "custom_fields": {"vip_level": 2}}),
        ),
    )
    .await;
    assert_eq!(s, 200, "{updated}");
    assert_eq!(
        keys(&updated["data"]),
        [
            "id",
            "email",
            "first_name",
            "last_name",
            "active",
            "default_billing_address_id",
            "default_shipping_address_id",
            "custom_fields",
            "created_at",
            "updated_at"
        ]
    );
    assert_eq!(updated["data"]["first_name"], "Ada", "empty = unchanged");
    assert_eq!(updated["data"]["last_name"], "King");
    assert_eq!(updated["data"]["default_billing_address_id"], home.as_str());
    assert_eq!(updated["data"]["custom_fields"], json!({"vip_level": 2}));

    // The single GET carries the addresses; company/phone only when present.
    let (s, one) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/customers/{ada}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(keys(&one["data"]).last(), Some(&"addresses"));
    let addrs = one["data"]["addresses"].as_array().expect("addresses");
    assert_eq!(addrs.len(), 2);
    assert_eq!(addrs[0]["id"], home.as_str());
    assert!(addrs[0].get("company").is_none());
    assert_eq!(
        keys(&addrs[1]),
        [
            "id",
            "customer_id",
            "first_name",
            "last_name",
            "company",
            "street",
            "city",
            "zip",
            "country_code",
            "phone",
            "created_at",
            "updated_at"
        ]
    );

    // Address update and delete; a nested address of another customer is not found.
    let (s, moved) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/customers/{ada}/addresses/{home}"),
        &admin,
        Some(json!({"city": "Marylebone", "street": ""})),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(moved["data"]["city"], "Marylebone");
    assert_eq!(moved["data"]["street"], "12 St James's Square");
    let (s, e) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/customers/{ada}/addresses/{THOMAS_ADDRESS}"),
        &admin,
        Some(json!({"city": "Hamburg"})),
    )
    .await;
    assert_eq!((s, code(&e)), (404, "not_found"));
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/customers/{ada}/addresses/{home}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 204);
    let (_, one) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/customers/{ada}"),
        &admin,
        None,
    )
    .await;
    assert!(
        one["data"].get("default_billing_address_id").is_none(),
        "{one}"
    );
    assert_eq!(one["data"]["default_shipping_address_id"], office.as_str());
    assert_eq!(one["data"]["addresses"].as_array().map(Vec::len), Some(1));

    // Deleting a customer keeps their orders, without customer.
    let (s, body) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/customers/{MARIA}"),
        &admin,
        None,
    )
    .await;
    assert_eq!((s, body), (204, Value::Null));
    let (s, _) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/customers/{MARIA}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/customers/{MARIA}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 404);
    let mut c = stoa_db::pool::establish(&app.db_url).await.expect("conn");
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Counts {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        orphaned: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        addresses: i64,
    }
    let n: Counts = diesel::sql_query(format!(
        "SELECT (SELECT COUNT(*) FROM orders WHERE customer_id IS NULL \
           AND order_number = 'ORD-20260301-DEMO1') AS orphaned, \
         (SELECT COUNT(*) FROM customer_addresses WHERE customer_id = '{MARIA}') AS addresses"
    ))
    .get_result(&mut c)
    .await
    .expect("counts");
    assert_eq!((n.orphaned, n.addresses), (1, 0));

    let actions = audit_actions(&app, &admin, "customer").await;
    for a in ["create", "update", "delete"] {
        assert!(actions.iter().any(|x| x == a), "{a} audited: {actions:?}");
    }
    let actions = audit_actions(&app, &admin, "customer_address").await;
    assert_eq!(
        actions.iter().filter(|a| *a == "create").count(),
        2,
        "{actions:?}"
    );
    assert!(actions.iter().any(|a| a == "delete"));
}

#[tokio::test(flavor = "multi_thread")]
async fn customers_list_searches_filters_pages_and_batches_addresses() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let admin = app.staff("admin").await;
    const CREATE: &str =
        "mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id active } }";
    for (email, first, active) in [
        ("grace@example.com", "Grace", true),
        ("alan@example.com", "Alan", false),
        ("barbara@example.com", "Barbara", true),
    ] {
        let r = app
            .gql(
                &admin,
                CREATE,
                json!({"i": {"email": email, "password": "long-enough-1", "firstName": first,
                             "lastName": "Pioneer", "active": active}}),
            )
            .await
            .ok();
        assert_eq!(r.data("createCustomer.active"), active);
    }

    let (s, page) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/customers?limit=2&page=1",
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        page["meta"],
        json!({"total": 5, "page": 1, "limit": 2, "pages": 3})
    );
    let items = page["data"].as_array().expect("list");
    assert_eq!(items[0]["email"], "barbara@example.com", "newest first");
    assert!(items.iter().all(|c| c.get("addresses").is_none()));
    assert!(items.iter().all(|c| c.get("password_hash").is_none()));

    let emails = |v: &Value| -> Vec<String> {
        v["data"]
            .as_array()
            .expect("list")
            .iter()
            .map(|c| c["email"].as_str().expect("email").to_owned())
            .collect()
    };
    let (_, r) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/customers?search=PIONEER",
        &admin,
        None,
    )
    .await;
    assert_eq!(r["meta"]["total"], 3);
    let (_, r) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/customers?search=maria%40",
        &admin,
        None,
    )
    .await;
    assert_eq!(emails(&r), ["maria@example.com"]);
    let (_, r) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/customers?filter[active]=false",
        &admin,
        None,
    )
    .await;
    assert_eq!(emails(&r), ["alan@example.com"]);
    let (_, r) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/customers?search=nobody-at-all",
        &admin,
        None,
    )
    .await;
    assert_eq!(r["data"], json!([]));
    assert_eq!(r["meta"]["total"], 0);

    // Addresses of a whole page cost the same statements as of one customer.
    const WITH_ADDRESSES: &str =
        "query($l: Int) { customers(limit: $l) { items { id addresses { id street } } } }";
    let before = app.statement_count();
    let one = app.gql(&admin, WITH_ADDRESSES, json!({"l": 1})).await.ok();
    let single = app.statement_count() - before;
    let before = app.statement_count();
    let all = app
        .gql(&admin, WITH_ADDRESSES, json!({"l": 100}))
        .await
        .ok();
    let page = app.statement_count() - before;
    assert_eq!(
        one.data("customers.items").as_array().map(Vec::len),
        Some(1)
    );
    let items = all.data("customers.items").as_array().expect("items");
    assert_eq!(items.len(), 5);
    let with_addresses = items
        .iter()
        .filter(|c| c["addresses"].as_array().is_some_and(|a| !a.is_empty()))
        .count();
    assert_eq!(with_addresses, 2, "the demo customers have one each");
    assert_eq!(single, page, "no statement per customer");

    // The Customer type never exposes a password hash.
    let t = app
        .gql(
            &admin,
            "{ __type(name: \"Customer\") { fields { name } } }",
            json!({}),
        )
        .await
        .ok();
    let names = t.data("__type.fields").to_string().to_lowercase();
    assert!(!names.contains("password"), "{names}");
    assert!(names.contains("addresses"));
}

const MY_ADDRESSES: &str = "{ myAddresses { id street } }";
const CREATE_MINE: &str = "mutation($i: AddressInput!) { createMyAddress(input: $i) { id customerId street countryCode company } }";
const UPDATE_MINE: &str = "mutation($id: UUID!, $i: UpdateAddressInput!) { updateMyAddress(id: $id, input: $i) { id city } }";
const DELETE_MINE: &str = "mutation($id: UUID!) { deleteMyAddress(id: $id) }";
const SET_DEFAULTS: &str = "mutation($b: UUID, $s: UUID) { setMyDefaultAddresses(billingAddressId: $b, shippingAddressId: $s) { defaultBillingAddressId defaultShippingAddressId addresses { id } } }";

#[tokio::test(flavor = "multi_thread")]
async fn customers_keep_private_address_books() {
    let app = TestApp::new().await;
    let (alice, _) = app.customer().await;
    let (bob, _) = app.customer().await;

    // Alice adds one address over GraphQL and one over REST.
    let a1 = app
        .gql(
            &alice,
            CREATE_MINE,
            json!({"i": {"firstName": "Alice", "lastName": "A", "street": "Main St 1",
                         "city": "Springfield", "zip": "12345", "countryCode": "us", "company": " "}}),
        )
        .await
        .ok();
    assert_eq!(a1.data("createMyAddress.countryCode"), "US");
    assert_eq!(a1.data("createMyAddress.company"), &Value::Null);
    let a1 = a1
        .data("createMyAddress.id")
        .as_str()
        .expect("id")
        .to_owned();
    let (s, a2) = rest(
        &app,
        Method::POST,
        "/api/v1/store/account/addresses",
        &alice,
        Some(address("Side St 2")),
    )
    .await;
    assert_eq!(s, 201, "{a2}");
    let a2 = id(&a2);
    let (s, list) = rest(
        &app,
        Method::GET,
        "/api/v1/store/account/addresses",
        &alice,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(list["data"].as_array().map(Vec::len), Some(2));
    assert_eq!(list["data"][0]["id"], a1.as_str());

    // Bob sees none of them and cannot touch them: not found, not forbidden.
    let mine = app.gql(&bob, MY_ADDRESSES, json!({})).await.ok();
    assert_eq!(mine.data("myAddresses"), &json!([]));
    let r = app
        .gql(
            &bob,
            UPDATE_MINE,
            json!({"id": a1, "i": {"city": "Shelbyville"}}),
        )
        .await;
    assert_eq!(r.code(), "NOT_FOUND");
    let r = app.gql(&bob, DELETE_MINE, json!({"id": a1})).await;
    assert_eq!(r.code(), "NOT_FOUND");
    let r = app.gql(&bob, SET_DEFAULTS, json!({"b": a1})).await;
    assert_eq!(r.code(), "VALIDATION_ERROR");
    assert_eq!(
        r.body["errors"][0]["extensions"]["field"],
        "billingAddressId"
    );
    let (s, e) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/store/account/addresses/{a2}"),
        &bob,
        Some(json!({"city": "Shelbyville"})),
    )
    .await;
    assert_eq!((s, code(&e)), (404, "not_found"));
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/store/account/addresses/{a2}"),
        &bob,
        None,
    )
    .await;
    assert_eq!(s, 404);
    let still = app.gql(&alice, MY_ADDRESSES, json!({})).await.ok();
    assert_eq!(still.data("myAddresses").as_array().map(Vec::len), Some(2));
    assert_eq!(still.data("myAddresses")[0]["street"], "Main St 1");

    // Alice manages her own: update, defaults on the account, clear, delete.
    let r = app
        .gql(
            &alice,
            UPDATE_MINE,
            json!({"id": a1, "i": {"city": "Capital City"}}),
        )
        .await
        .ok();
    assert_eq!(r.data("updateMyAddress.city"), "Capital City");
    let r = app
        .gql(&alice, UPDATE_MINE, json!({"id": a1, "i": {"zip": "   "}}))
        .await;
    assert_eq!(r.code(), "VALIDATION_ERROR");
    let r = app
        .gql(&alice, SET_DEFAULTS, json!({"b": a1, "s": a2}))
        .await
        .ok();
    assert_eq!(
        r.data("setMyDefaultAddresses.defaultBillingAddressId"),
        a1.as_str()
    );
    assert_eq!(
        r.data("setMyDefaultAddresses.defaultShippingAddressId"),
        a2.as_str()
    );
    let account = app
        .gql(
            &alice,
            "{ account { defaultBillingAddressId addresses { id } } }",
            json!({}),
        )
        .await
        .ok();
    assert_eq!(account.data("account.defaultBillingAddressId"), a1.as_str());
    assert_eq!(
        account.data("account.addresses").as_array().map(Vec::len),
        Some(2)
    );
    // Null clears, an absent argument keeps.
    let r = app
        .gql(
            &alice,
            "mutation { setMyDefaultAddresses(billingAddressId: null) { defaultBillingAddressId defaultShippingAddressId } }",
            json!({}),
        )
        .await
        .ok();
    assert_eq!(
        r.data("setMyDefaultAddresses.defaultBillingAddressId"),
        &Value::Null
    );
    assert_eq!(
        r.data("setMyDefaultAddresses.defaultShippingAddressId"),
        a2.as_str()
    );
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/store/account/addresses/{a2}"),
        &alice,
        None,
    )
    .await;
    assert_eq!(s, 204);
    let account = app
        .gql(
            &alice,
            "{ account { defaultShippingAddressId } }",
            json!({}),
        )
        .await
        .ok();
    assert_eq!(
        account.data("account.defaultShippingAddressId"),
        &Value::Null
    );

    // Guests are refused.
    let r = app.gql(&Auth::None, MY_ADDRESSES, json!({})).await;
    assert_eq!(r.code(), "UNAUTHENTICATED");
    let r = app
        .gql(&Auth::None, CREATE_MINE, json!({"i": {"street": "x"}}))
        .await;
    assert_eq!(r.code(), "UNAUTHENTICATED");
    let (s, e) = rest(
        &app,
        Method::GET,
        "/api/v1/store/account/addresses",
        &Auth::None,
        None,
    )
    .await;
    assert_eq!((s, code(&e)), (401, "unauthorized"));
}

#[tokio::test(flavor = "multi_thread")]
async fn customer_admin_is_guarded_by_permissions() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let reader = staff_key(&app, &["customers.read"]).await;
    let manager = app.staff("manager").await;
    let (customer, _) = app.customer().await;

    // Read works with customers.read, including addresses.
    let r = app
        .gql(
            &reader,
            "query($id: UUID!) { customer(id: $id) { email addresses { city } } }",
            json!({"id": MARIA}),
        )
        .await
        .ok();
    assert_eq!(r.data("customer.email"), "maria@example.com");
    assert_eq!(r.data("customer.addresses")[0]["city"], "Berlin");
    let (s, _) = rest(&app, Method::GET, "/api/v1/admin/customers", &reader, None).await;
    assert_eq!(s, 200);

    // Without customers.update / create / delete: refused, nothing changes.
    const UPDATE: &str = "mutation($id: UUID!, $i: UpdateCustomerInput!) { updateCustomer(id: $id, input: $i) { active } }";
    let r = app
        .gql(
            &reader,
            UPDATE,
            json!({"id": MARIA, "i": {"active": false}}),
        )
        .await;
    assert_eq!(r.code(), "FORBIDDEN");
    let (s, e) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/customers/{MARIA}"),
        &reader,
        Some(json!({"active": false})),
    )
    .await;
    assert_eq!((s, code(&e)), (403, "forbidden"));
    let (s, _) = rest(
        &app,
        Method::POST,
        &format!("/api/v1/admin/customers/{MARIA}/addresses"),
        &reader,
        Some(address("x")),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = rest(
        &app,
        Method::DELETE,
        &format!("/api/v1/admin/customers/{MARIA}"),
        &manager,
        None,
    )
    .await;
    assert_eq!(s, 403, "managers hold customers.read only");
    let r = app
        .gql(
            &manager,
            "mutation { createCustomer(input: {email: \"m@example.com\", password: \"long-enough-1\", firstName: \"M\", lastName: \"N\"}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(r.code(), "FORBIDDEN");

    // Customers and guests never reach the admin fields.
    let r = app
        .gql(&customer, "{ customers { total } }", json!({}))
        .await;
    assert_eq!(r.code(), "FORBIDDEN");
    let r = app
        .gql(&Auth::None, "{ customers { total } }", json!({}))
        .await;
    assert_eq!(r.code(), "UNAUTHENTICATED");
    let (s, _) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/customers",
        &customer,
        None,
    )
    .await;
    assert_eq!(s, 403);

    // With customers.update the same call passes and is audited.
    let writer = staff_key(&app, &["customers.update", "audit.read"]).await;
    let r = app
        .gql(
            &writer,
            UPDATE,
            json!({"id": MARIA, "i": {"active": false}}),
        )
        .await
        .ok();
    assert_eq!(r.data("updateCustomer.active"), false);
    assert_eq!(audit_actions(&app, &writer, "customer").await, ["update"]);
    let (s, e) = rest(
        &app,
        Method::POST,
        "/api/v1/auth/login",
        &Auth::None,
        Some(json!({"email": "maria@example.com", "password": "Demo1234!"})),
    )
    .await;
    assert_eq!((s, code(&e)), (401, "account_disabled"));
}
