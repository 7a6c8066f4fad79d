//! Enough of UCUM for FHIRPath quantities: units made of prefixed atoms with exponents,
//! joined by `.` and `/`, reduced to a factor over seven base dimensions so that `4 'g'`
//! equals `4000 'mg'` and `'cm'` compares with `'[in_i]'`. Special (affine) units such as
//! `Cel` and units outside the table are compared only when written identically.

use super::decimal::Dec;

/// Exponents of m, g, s, K, mol, cd, A, plus a counter for arbitrary units.
pub type Dims = [i8; 8];

/// A unit reduced to base units: `value_in_base = value * factor`.
#[derive(Clone, Debug)]
pub struct Canonical {
    pub factor: Dec,
    pub dims: Dims,
}

const M: Dims = [1, 0, 0, 0, 0, 0, 0, 0];
const G: Dims = [0, 1, 0, 0, 0, 0, 0, 0];
const S: Dims = [0, 0, 1, 0, 0, 0, 0, 0];
const K: Dims = [0, 0, 0, 1, 0, 0, 0, 0];
const CD: Dims = [0, 0, 0, 0, 0, 1, 0, 0];
const A: Dims = [0, 0, 0, 0, 0, 0, 1, 0];
const U: Dims = [0, 0, 0, 0, 0, 0, 0, 1];
const ONE: Dims = [0; 8];
const L3: Dims = [3, 0, 0, 0, 0, 0, 0, 0];

/// Atoms: code, factor (as decimal text), dimensions. `prefixable` atoms take `k`, `m` ...
const ATOMS: &[(&str, &str, Dims, bool)] = &[
    ("m", "1", M, true),
    ("g", "1", G, true),
    ("s", "1", S, true),
    ("K", "1", K, true),
    ("mol", "6.0221367e23", ONE, true),
    ("cd", "1", CD, true),
    ("A", "1", A, true),
    ("min", "60", S, false),
    ("h", "3600", S, false),
    ("d", "86400", S, false),
    ("wk", "604800", S, false),
    ("mo", "2629800", S, false),
    ("a", "31557600", S, false),
    ("L", "0.001", L3, true),
    ("l", "0.001", L3, true),
    ("[in_i]", "0.0254", M, false),
    ("[ft_i]", "0.3048", M, false),
    ("[yd_i]", "0.9144", M, false),
    ("[mi_i]", "1609.344", M, false),
    ("[lb_av]", "453.59237", G, false),
    ("[oz_av]", "28.349523125", G, false),
    ("[gr]", "0.06479891", G, false),
    (
        "[pi]",
        "3.1415926535897932384626433832795028841971693993751058209749445923",
        ONE,
        false,
    ),
    ("%", "0.01", ONE, false),
    ("[ppm]", "0.000001", ONE, false),
    ("[iU]", "1", U, true),
    ("[IU]", "1", U, true),
    ("U", "1", U, true),
    ("eq", "6.0221367e23", ONE, true),
    ("osm", "6.0221367e23", ONE, true),
    ("Hz", "1", [0, 0, -1, 0, 0, 0, 0, 0], true),
    ("N", "1000", [1, 1, -2, 0, 0, 0, 0, 0], true),
    ("Pa", "1000", [-1, 1, -2, 0, 0, 0, 0, 0], true),
    ("J", "1000", [2, 1, -2, 0, 0, 0, 0, 0], true),
    ("W", "1000", [2, 1, -3, 0, 0, 0, 0, 0], true),
    ("cal", "4184", [2, 1, -2, 0, 0, 0, 0, 0], true),
    ("[degF]", "0", K, false),
    ("Cel", "0", K, false),
    ("mm[Hg]", "133322", [-1, 1, -2, 0, 0, 0, 0, 0], false),
    ("bar", "100000000", [-1, 1, -2, 0, 0, 0, 0, 0], true),
];

const PREFIXES: &[(&str, i32)] = &[
    ("da", 1),
    ("Y", 24),
    ("Z", 21),
    ("E", 18),
    ("P", 15),
    ("T", 12),
    ("G", 9),
    ("M", 6),
    ("k", 3),
    ("h", 2),
    ("d", -1),
    ("c", -2),
    ("m", -3),
    ("u", -6),
    ("n", -9),
    ("p", -12),
    ("f", -15),
];

fn pow10(e: i32) -> Dec {
    if e >= 0 {
        Dec::new(10i128.pow(e as u32), 0)
    } else {
        Dec::new(1, (-e) as u32)
    }
}

fn atom(code: &str) -> Option<(Dec, Dims)> {
    for &(name, factor, dims, _) in ATOMS {
        if name == code {
            if factor == "0" {
                return None; // affine units: only identical spelling compares
            }
            return Some((Dec::parse(factor)?, dims));
        }
    }
    for &(prefix, e) in PREFIXES {
        if let Some(rest) = code.strip_prefix(prefix) {
            for &(name, factor, dims, prefixable) in ATOMS {
                if name == rest && prefixable && factor != "0" {
                    return Some((Dec::parse(factor)?.mul(&pow10(e))?, dims));
                }
            }
        }
    }
    None
}

/// One term: an atom with an optional integer exponent (`m2`, `s-1`), or a number (`10*3`
/// is not supported; plain `1` and `10` are).
fn term(text: &str) -> Option<(Dec, Dims)> {
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return Some((Dec::parse(text)?, ONE));
    }
    let split = text
        .rfind(|c: char| !(c.is_ascii_digit() || c == '-' || c == '+'))
        .map_or(0, |i| i + 1);
    let (base, exp) = text.split_at(split);
    let exp: i32 = if exp.is_empty() { 1 } else { exp.parse().ok()? };
    let (factor, dims) = atom(base)?;
    let mut f = Dec::new(1, 0);
    for _ in 0..exp.unsigned_abs() {
        f = f.mul(&factor)?;
    }
    if exp < 0 {
        f = Dec::new(1, 0).div(&f)?;
    }
    let mut out = ONE;
    for (o, d) in out.iter_mut().zip(dims) {
        *o = d.checked_mul(i8::try_from(exp).ok()?)?;
    }
    Some((f, out))
}

/// The unit reduced to base units, or `None` when it is not understood.
pub fn canonical(unit: &str) -> Option<Canonical> {
    let unit = unit.trim();
    if unit.is_empty() || unit == "1" {
        return Some(Canonical {
            factor: Dec::new(1, 0),
            dims: ONE,
        });
    }
    if unit.len() > 64 || unit.contains(['{', '(']) {
        return None;
    }
    let mut factor = Dec::new(1, 0);
    let mut dims = ONE;
    let mut divide = false;
    let mut start = 0;
    let bytes = unit.as_bytes();
    for i in 0..=bytes.len() {
        let at_end = i == bytes.len();
        // `.` and `/` separate terms, except inside brackets (`[in_i]`).
        let separator = !at_end && (bytes[i] == b'/' || bytes[i] == b'.') && {
            let open = unit[..i].matches('[').count();
            let close = unit[..i].matches(']').count();
            open == close
        };
        if at_end || separator {
            let (f, d) = term(&unit[start..i])?;
            if divide {
                factor = factor.div(&f)?;
                for (o, x) in dims.iter_mut().zip(d) {
                    *o = o.checked_sub(x)?;
                }
            } else {
                factor = factor.mul(&f)?;
                for (o, x) in dims.iter_mut().zip(d) {
                    *o = o.checked_add(x)?;
                }
            }
            if !at_end {
                divide = bytes[i] == b'/';
            }
            start = i + 1;
        }
    }
    Some(Canonical { factor, dims })
}

/// A unit string for base dimensions (`m2`, `g/m`, `1`), used for products and quotients.
pub fn unit_of(dims: &Dims) -> String {
    const NAMES: [&str; 8] = ["m", "g", "s", "K", "mol", "cd", "A", "[iU]"];
    let mut num = Vec::new();
    let mut den = Vec::new();
    for (name, &e) in NAMES.iter().zip(dims) {
        let part = |e: i8| {
            if e == 1 {
                name.to_string()
            } else {
                format!("{name}{e}")
            }
        };
        if e > 0 {
            num.push(part(e));
        } else if e < 0 {
            den.push(part(-e));
        }
    }
    let num = if num.is_empty() {
        "1".to_owned()
    } else {
        num.join(".")
    };
    if den.is_empty() {
        num
    } else {
        format!("{num}/{}", den.join("."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduces_units() {
        let mg = canonical("mg").unwrap();
        assert_eq!(mg.dims, G);
        assert_eq!(mg.factor, Dec::parse("0.001").unwrap());
        assert_eq!(
            canonical("[in_i]").unwrap().dims,
            canonical("cm").unwrap().dims
        );
        assert_eq!(canonical("mg/dL").unwrap().dims, [-3, 1, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            canonical("wk").unwrap().factor,
            Dec::parse("604800").unwrap()
        );
        assert!(canonical("Cel").is_none());
        assert!(canonical("furlong").is_none());
        assert_eq!(unit_of(&[1, 1, 0, 0, 0, 0, 0, -0]), "m.g");
    }
}
