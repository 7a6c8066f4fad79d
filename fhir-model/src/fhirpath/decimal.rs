//! Exact decimals for FHIRPath: a mantissa and a scale, so `1.0` keeps its precision and
//! `0.1 + 0.2 = 0.3` holds. Overflow is `None` (the caller makes it an empty result or an
//! error), never a panic.

use std::cmp::Ordering;
use std::fmt;

/// Largest scale kept; results of division are cut there.
pub const MAX_SCALE: u32 = 28;

/// `mantissa / 10^scale`.
#[derive(Clone, Copy, Debug)]
pub struct Dec {
    /// The digits as an integer.
    pub mantissa: i128,
    /// How many of the digits are decimals.
    pub scale: u32,
    /// `-0.0` as a boundary result keeps its sign.
    pub negative_zero: bool,
}

fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

impl Dec {
    /// `mantissa / 10^scale`.
    pub fn new(mantissa: i128, scale: u32) -> Dec {
        Dec {
            mantissa,
            scale,
            negative_zero: false,
        }
    }

    /// An integer as a decimal of scale 0.
    pub fn from_int(v: i64) -> Dec {
        Dec::new(i128::from(v), 0)
    }

    /// Parses `-12.340`, `1e3`, `+5` (FHIR JSON and FHIRPath literal forms).
    pub fn parse(text: &str) -> Option<Dec> {
        let (mantissa_text, exponent) = match text.find(['e', 'E']) {
            Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok()?),
            None => (text, 0),
        };
        let (negative, digits) = match mantissa_text.as_bytes().first()? {
            b'-' => (true, &mantissa_text[1..]),
            b'+' => (false, &mantissa_text[1..]),
            _ => (false, mantissa_text),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let mut mantissa: i128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            if !b.is_ascii_digit() {
                return None;
            }
            mantissa = mantissa
                .checked_mul(10)?
                .checked_add(i128::from(b - b'0'))?;
        }
        let mut scale = frac.len() as i64 - i64::from(exponent);
        while scale < 0 {
            mantissa = mantissa.checked_mul(10)?;
            scale += 1;
        }
        if scale > 60 {
            return None;
        }
        let mut d = Dec::new(if negative { -mantissa } else { mantissa }, scale as u32);
        while d.scale > MAX_SCALE {
            d = d.rescale_trunc(d.scale - 1);
        }
        d.negative_zero = negative && mantissa == 0;
        Some(d)
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    /// Whether there is no fractional part.
    pub fn is_integer(&self) -> bool {
        pow10(self.scale).is_some_and(|p| self.mantissa % p == 0)
    }

    /// The same value at a larger scale.
    pub fn upscale(&self, scale: u32) -> Option<Dec> {
        if scale <= self.scale {
            return Some(*self);
        }
        let m = self.mantissa.checked_mul(pow10(scale - self.scale)?)?;
        Some(Dec::new(m, scale))
    }

    /// Cut (towards zero) to a smaller scale.
    pub fn rescale_trunc(&self, scale: u32) -> Dec {
        if scale >= self.scale {
            return self.upscale(scale).unwrap_or(*self);
        }
        let p = pow10(self.scale - scale).unwrap_or(i128::MAX);
        Dec::new(self.mantissa / p, scale)
    }

    /// Rounded half away from zero to `scale` digits.
    pub fn round(&self, scale: u32) -> Dec {
        if scale >= self.scale {
            return *self;
        }
        let p = pow10(self.scale - scale).unwrap_or(i128::MAX);
        let q = self.mantissa / p;
        let r = self.mantissa % p;
        let adjust = if r.abs() * 2 >= p { r.signum() } else { 0 };
        Dec::new(q + adjust, scale)
    }

    /// Rounded towards negative infinity to `scale` digits.
    pub fn floor_to(&self, scale: u32) -> Dec {
        let t = self.rescale_trunc(scale);
        if t.mantissa
            .checked_mul(pow10(self.scale.saturating_sub(scale)).unwrap_or(1))
            != Some(self.mantissa)
            && self.mantissa < 0
            && scale < self.scale
        {
            Dec::new(t.mantissa - 1, scale)
        } else {
            t
        }
    }

    /// Rounded towards positive infinity to `scale` digits.
    pub fn ceil_to(&self, scale: u32) -> Dec {
        let n = Dec::new(-self.mantissa, self.scale).floor_to(scale);
        Dec::new(-n.mantissa, n.scale)
    }

    fn aligned(a: &Dec, b: &Dec) -> Option<(i128, i128, u32)> {
        let scale = a.scale.max(b.scale);
        Some((
            a.upscale(scale)?.mantissa,
            b.upscale(scale)?.mantissa,
            scale,
        ))
    }

    /// Exact sum; `None` on overflow.
    pub fn add(&self, other: &Dec) -> Option<Dec> {
        let (a, b, s) = Dec::aligned(self, other)?;
        Some(Dec::new(a.checked_add(b)?, s))
    }

    /// Exact difference; `None` on overflow.
    pub fn sub(&self, other: &Dec) -> Option<Dec> {
        let (a, b, s) = Dec::aligned(self, other)?;
        Some(Dec::new(a.checked_sub(b)?, s))
    }

    /// Exact product (scale capped at [`MAX_SCALE`]); `None` on overflow.
    pub fn mul(&self, other: &Dec) -> Option<Dec> {
        let mut d = Dec::new(
            self.mantissa.checked_mul(other.mantissa)?,
            self.scale + other.scale,
        );
        while d.scale > MAX_SCALE {
            d = d.round(d.scale - 1);
        }
        Some(d)
    }

    /// Division with up to [`MAX_SCALE`] digits, trailing zeros beyond the operands' own
    /// scale dropped. `None` for division by zero.
    pub fn div(&self, other: &Dec) -> Option<Dec> {
        if other.is_zero() {
            return None;
        }
        let keep = self.scale.max(other.scale);
        // self / other = (a * 10^k / b) * 10^-(s_a - s_b + k)
        let mut best = None;
        for k in (0..=40u32).rev() {
            let Some(a) = pow10(k).and_then(|p| self.mantissa.checked_mul(p)) else {
                continue;
            };
            let scale = self.scale as i64 - other.scale as i64 + k as i64;
            if scale < 0 {
                continue;
            }
            let mut d = Dec::new(a / other.mantissa, scale as u32);
            while d.scale > MAX_SCALE {
                d = d.rescale_trunc(d.scale - 1);
            }
            best = Some(d);
            break;
        }
        let mut d = best?;
        while d.scale > keep && d.mantissa % 10 == 0 {
            d = Dec::new(d.mantissa / 10, d.scale - 1);
        }
        Some(d)
    }

    /// The negation.
    pub fn neg(&self) -> Dec {
        Dec::new(-self.mantissa, self.scale)
    }

    /// The absolute value.
    pub fn abs(&self) -> Dec {
        Dec::new(self.mantissa.abs(), self.scale)
    }

    /// The nearest float (for `exp`, `ln`, `sqrt` ...).
    pub fn to_f64(&self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// From a float, with up to 15 significant digits (what an f64 holds faithfully).
    pub fn from_f64(v: f64) -> Option<Dec> {
        if !v.is_finite() {
            return None;
        }
        let text = format!("{:.*e}", 14, v);
        let mut d = Dec::parse(&text)?;
        while d.scale > 0 && d.mantissa % 10 == 0 {
            d = Dec::new(d.mantissa / 10, d.scale - 1);
        }
        while d.scale > 8 {
            d = d.round(d.scale - 1);
        }
        Some(d)
    }

    /// The integer part, if it fits.
    pub fn to_i64(&self) -> Option<i64> {
        i64::try_from(self.rescale_trunc(0).mantissa).ok()
    }
}

impl PartialEq for Dec {
    fn eq(&self, other: &Dec) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Dec {}

impl PartialOrd for Dec {
    fn partial_cmp(&self, other: &Dec) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Dec {
    fn cmp(&self, other: &Dec) -> Ordering {
        match Dec::aligned(self, other) {
            Some((a, b, _)) => a.cmp(&b),
            // Out of range when aligned: the one with more integer digits decides.
            None => self.to_f64().total_cmp(&other.to_f64()),
        }
    }
}

impl fmt::Display for Dec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.mantissa.unsigned_abs().to_string();
        let scale = self.scale as usize;
        if self.mantissa < 0 || self.negative_zero {
            f.write_str("-")?;
        }
        if scale == 0 {
            return f.write_str(&digits);
        }
        let padded = if digits.len() <= scale {
            format!("{}{digits}", "0".repeat(scale + 1 - digits.len()))
        } else {
            digits
        };
        let (int, frac) = padded.split_at(padded.len() - scale);
        write!(f, "{int}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Dec {
        Dec::parse(s).unwrap()
    }

    #[test]
    fn keeps_scale_and_compares_by_value() {
        assert_eq!(d("1.0").to_string(), "1.0");
        assert_eq!(d("1.10"), d("1.1"));
        assert_eq!(d("0.1").add(&d("0.2")).unwrap(), d("0.3"));
        assert_eq!(d("1e3").to_string(), "1000");
        assert_eq!(d("-0.5").round(0).to_string(), "-1");
        assert_eq!(d("1").div(&d("3")).unwrap().to_string().len(), 30);
        assert_eq!(d("-1.5875").floor_to(2).to_string(), "-1.59");
        assert_eq!(d("1.5875").ceil_to(2).to_string(), "1.59");
        assert!(d("1").div(&d("0")).is_none());
        assert!(Dec::parse("1.2.3").is_none());
    }
}
