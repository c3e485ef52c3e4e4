//! Server-side pricing of a set of lines (a cart, or an order at checkout). Pure: the caller
//! reads the rows, this module does the arithmetic, so every surface prices alike.
//!
//! Rules (all amounts are integer minor units, rates are basis points, 1900 = 19 %):
//! - **Unit price**: the variant's `price_net`/`price_gross` when the variant has its own
//!   (non-NULL) price, else the product's. A variant price of 0 is charged as 0, as set.
//! - **Tax rate** of a line: the product's tax rule rate (variants have no rule of their own);
//!   0 without a rule. Net and gross are the stored prices, not recomputed from the rate.
//! - **Line totals**: unit × quantity, for net and gross.
//! - **Subtotals**: the sums of the line totals.
//! - **Discount**: an amount off the gross subtotal (from [`crate::domain::discount`]),
//!   capped at it.
//! - **Tax**: the items' tax is `subtotal_gross − subtotal_net`. A discount takes its share of
//!   that tax with it, in proportion to the share of the gross subtotal it removes:
//!   `tax_total = item_tax − round(item_tax × discount / subtotal_gross)` (half up). So a 10 %
//!   discount lowers the tax by 10 %, and a discount of the whole subtotal leaves no tax.
//! - **Shipping** (the method's gross price) is added to the total. Its tax is not part of
//!   `tax_total`, as in the reference's orders (`tax_total = Σ(item gross − net)`).
//! - **Total**: `subtotal_gross − discount_total + shipping_total`.

/// The prices of one line as read from the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineInput {
    pub product_price_net: i32,
    pub product_price_gross: i32,
    /// The variant's own prices; `None` (or a variant without own prices) inherits.
    pub variant_price_net: Option<i32>,
    pub variant_price_gross: Option<i32>,
    /// The product's tax rule rate in basis points; `None` without a rule.
    pub tax_rate: Option<i32>,
    pub quantity: i32,
}

/// One priced line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PricedLine {
    pub unit_price_net: i64,
    pub unit_price_gross: i64,
    pub line_total_net: i64,
    pub line_total_gross: i64,
    /// Basis points.
    pub tax_rate: i32,
}

/// The totals of a set of lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub subtotal_net: i64,
    pub subtotal_gross: i64,
    pub discount_total: i64,
    pub shipping_total: i64,
    pub tax_total: i64,
    pub total: i64,
}

/// Prices and totals.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Priced {
    /// One per input line, in input order.
    pub lines: Vec<PricedLine>,
    pub totals: Totals,
}

/// `a × b / c` rounded half up, for non-negative `a`, `b` and positive `c`.
fn mul_div_round(a: i64, b: i64, c: i64) -> i64 {
    let p = i128::from(a) * i128::from(b);
    let c = i128::from(c);
    i64::try_from((p + c / 2) / c).unwrap_or(i64::MAX)
}

/// Prices one line.
pub fn price_line(l: &LineInput) -> PricedLine {
    // Each side inherits on its own: a variant with only a gross price keeps the product's net.
    let unit_net = i64::from(l.variant_price_net.unwrap_or(l.product_price_net));
    let unit_gross = i64::from(l.variant_price_gross.unwrap_or(l.product_price_gross));
    let qty = i64::from(l.quantity.max(0));
    PricedLine {
        unit_price_net: unit_net,
        unit_price_gross: unit_gross,
        line_total_net: unit_net * qty,
        line_total_gross: unit_gross * qty,
        tax_rate: l.tax_rate.unwrap_or(0),
    }
}

/// Prices lines with an optional shipping price (gross) and a discount amount (gross, minor
/// units; capped at the gross subtotal, negative amounts count as none).
pub fn price(lines: &[LineInput], shipping_gross: Option<i64>, discount: i64) -> Priced {
    let lines: Vec<PricedLine> = lines.iter().map(price_line).collect();
    let subtotal_net: i64 = lines.iter().map(|l| l.line_total_net).sum();
    let subtotal_gross: i64 = lines.iter().map(|l| l.line_total_gross).sum();
    let discount_total = discount.clamp(0, subtotal_gross.max(0));
    let item_tax = (subtotal_gross - subtotal_net).max(0);
    let discount_tax = if subtotal_gross > 0 {
        mul_div_round(item_tax, discount_total, subtotal_gross)
    } else {
        0
    };
    let shipping_total = shipping_gross.unwrap_or(0).max(0);
    Priced {
        lines,
        totals: Totals {
            subtotal_net,
            subtotal_gross,
            discount_total,
            shipping_total,
            tax_total: item_tax - discount_tax,
            total: subtotal_gross - discount_total + shipping_total,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(net: i32, gross: i32, qty: i32) -> LineInput {
        LineInput {
            product_price_net: net,
            product_price_gross: gross,
            variant_price_net: None,
            variant_price_gross: None,
            tax_rate: Some(1900),
            quantity: qty,
        }
    }

    #[test]
    fn lines_use_the_product_price_unless_the_variant_has_its_own() {
        let inherit = price_line(&line(2521, 2999, 2));
        assert_eq!(
            (
                inherit.unit_price_gross,
                inherit.line_total_net,
                inherit.line_total_gross
            ),
            (2999, 5042, 5998)
        );
        let own = price_line(&LineInput {
            variant_price_net: Some(100),
            variant_price_gross: Some(119),
            ..line(2521, 2999, 3)
        });
        assert_eq!(
            (
                own.unit_price_net,
                own.unit_price_gross,
                own.line_total_gross
            ),
            (100, 119, 357)
        );
        let zero = price_line(&LineInput {
            variant_price_net: Some(0),
            variant_price_gross: Some(0),
            ..line(2521, 2999, 1)
        });
        assert_eq!(zero.line_total_gross, 0);
        let no_rule = price_line(&LineInput {
            tax_rate: None,
            ..line(1, 1, 1)
        });
        assert_eq!(no_rule.tax_rate, 0);
    }

    #[test]
    fn totals_match_the_reference_order_example() {
        // §4.4: 2 × SHIRT-001-S with Standard shipping (399).
        let p = price(&[line(2521, 2999, 2)], Some(399), 0);
        assert_eq!(
            p.totals,
            Totals {
                subtotal_net: 5042,
                subtotal_gross: 5998,
                discount_total: 0,
                shipping_total: 399,
                tax_total: 956,
                total: 6397,
            }
        );
    }

    #[test]
    fn a_discount_takes_its_share_of_the_tax() {
        // 10 % of 5998 (crate::domain::discount::amount) = 600.
        let p = price(&[line(2521, 2999, 2)], None, 600);
        // 956 × 600 / 5998 = 95.6… → 96
        assert_eq!(p.totals.discount_total, 600);
        assert_eq!(p.totals.tax_total, 956 - 96);
        assert_eq!(p.totals.total, 5398);
    }

    #[test]
    fn discounts_are_capped_at_the_subtotal_and_never_negative() {
        let p = price(&[line(84, 100, 1)], Some(399), 10_000);
        assert_eq!(
            (p.totals.discount_total, p.totals.tax_total, p.totals.total),
            (100, 0, 399)
        );
        let p = price(&[line(84, 100, 1)], None, -5);
        assert_eq!((p.totals.discount_total, p.totals.total), (0, 100));
    }

    #[test]
    fn an_empty_cart_costs_only_shipping() {
        let p = price(&[], Some(399), 500);
        assert_eq!(
            p.totals,
            Totals {
                shipping_total: 399,
                total: 399,
                ..Totals::default()
            }
        );
        assert!(p.lines.is_empty());
    }
}
