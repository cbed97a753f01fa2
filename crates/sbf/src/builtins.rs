//! 128-bit multiply and divide helpers for the SBF build (tools/sbf).
//!
//! LLVM lowers 128-bit `*`, `/` and `%` (and 64-bit multiplications checked for overflow) on
//! BPF to calls of `__multi3`, `__udivti3`, ... with the operands in r1..r4 and the result
//! returned in r0 (low half) and r2 (high half). Rust's own versions of these helpers
//! (compiler_builtins, solana-compiler-builtins) are compiled with rustc's BPF ABI, which returns
//! a 128-bit value through a hidden pointer in r1 instead: called by LLVM they write to an
//! operand used as an address. Solana's platform-tools patch their compiler for this; with
//! upstream LLVM the program brings helpers with LLVM's convention: a short assembly shim per
//! helper that calls the Rust implementation below with an out-pointer into its own frame.
use core::arch::naked_asm;

/// `(a * b) mod 2^128` written to `out` as (low, high), using 64-bit multiplies only.
extern "C" fn mul_u128(out: &mut [u64; 2], a_lo: u64, a_hi: u64, b_lo: u64, b_hi: u64) {
    const MASK: u64 = u32::MAX as u64;
    let (x0, x1, y0, y1) = (a_lo & MASK, a_lo >> 32, b_lo & MASK, b_lo >> 32);
    // wrapping ops: a checked 64-bit multiply would itself call `__multi3`
    let (p00, p01, p10, p11) = (x0.wrapping_mul(y0), x0.wrapping_mul(y1), x1.wrapping_mul(y0), x1.wrapping_mul(y1));
    let mid = (p00 >> 32).wrapping_add(p01 & MASK).wrapping_add(p10 & MASK);
    out[0] = (mid << 32) | (p00 & MASK);
    out[1] = p11
        .wrapping_add(p01 >> 32)
        .wrapping_add(p10 >> 32)
        .wrapping_add(mid >> 32)
        .wrapping_add(a_lo.wrapping_mul(b_hi))
        .wrapping_add(a_hi.wrapping_mul(b_lo));
}

/// Unsigned 128-bit division by shift and subtract (128-bit shifts, compares and subtractions
/// need no helper on BPF). Returns (quotient, remainder); division by zero aborts like Rust's.
fn divmod_u128(n: u128, d: u128) -> (u128, u128) {
    if d == 0 {
        panic!("attempt to divide by zero");
    }
    if n < d {
        return (0, n);
    }
    let shift = d.leading_zeros() - n.leading_zeros();
    let mut divisor = d << shift;
    let (mut quotient, mut remainder) = (0u128, n);
    for _ in 0..=shift {
        quotient <<= 1;
        if remainder >= divisor {
            remainder -= divisor;
            quotient |= 1;
        }
        divisor >>= 1;
    }
    (quotient, remainder)
}

fn join(lo: u64, hi: u64) -> u128 {
    ((hi as u128) << 64) | lo as u128
}

fn split(out: &mut [u64; 2], v: u128) {
    out[0] = v as u64;
    out[1] = (v >> 64) as u64;
}

extern "C" fn udiv_u128(out: &mut [u64; 2], a_lo: u64, a_hi: u64, b_lo: u64, b_hi: u64) {
    split(out, divmod_u128(join(a_lo, a_hi), join(b_lo, b_hi)).0);
}

extern "C" fn umod_u128(out: &mut [u64; 2], a_lo: u64, a_hi: u64, b_lo: u64, b_hi: u64) {
    split(out, divmod_u128(join(a_lo, a_hi), join(b_lo, b_hi)).1);
}

fn signed_parts(a_lo: u64, a_hi: u64) -> (bool, u128) {
    let a = join(a_lo, a_hi) as i128;
    (a < 0, a.unsigned_abs())
}

extern "C" fn sdiv_i128(out: &mut [u64; 2], a_lo: u64, a_hi: u64, b_lo: u64, b_hi: u64) {
    let ((an, a), (bn, b)) = (signed_parts(a_lo, a_hi), signed_parts(b_lo, b_hi));
    let q = divmod_u128(a, b).0;
    split(out, if an != bn { q.wrapping_neg() } else { q });
}

extern "C" fn smod_i128(out: &mut [u64; 2], a_lo: u64, a_hi: u64, b_lo: u64, b_hi: u64) {
    let ((an, a), (_, b)) = (signed_parts(a_lo, a_hi), signed_parts(b_lo, b_hi));
    let r = divmod_u128(a, b).1;
    split(out, if an { r.wrapping_neg() } else { r });
}

/// Defines `$name` with LLVM's libcall convention, forwarding to `$impl`.
macro_rules! libcall_shim {
    ($name:ident, $impl:ident) => {
        #[unsafe(naked)]
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name() {
            naked_asm!(
                "r5 = r4",
                "r4 = r3",
                "r3 = r2",
                "r2 = r1",
                "r1 = r10",
                "r1 += -16",
                "call {f}",
                "r0 = *(u64 *)(r10 - 16)",
                "r2 = *(u64 *)(r10 - 8)",
                "exit",
                f = sym $impl,
            )
        }
    };
}

libcall_shim!(__multi3, mul_u128);
libcall_shim!(__udivti3, udiv_u128);
libcall_shim!(__umodti3, umod_u128);
libcall_shim!(__divti3, sdiv_i128);
libcall_shim!(__modti3, smod_i128);

// The memory functions LLVM calls, forwarded to the runtime's syscalls (cheaper than loops in
// bytecode). std is built without compiler_builtins' `mem` feature, so these are the only ones.
unsafe extern "C" {
    fn sol_memcpy_(dst: *mut u8, src: *const u8, n: u64);
    fn sol_memmove_(dst: *mut u8, src: *const u8, n: u64);
    fn sol_memset_(dst: *mut u8, c: u8, n: u64);
    fn sol_memcmp_(a: *const u8, b: *const u8, n: u64, result: *mut i32);
}

/// `memcpy` through the `sol_memcpy_` syscall.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    unsafe { sol_memcpy_(dst, src, n as u64) };
    dst
}

/// `memmove` through the `sol_memmove_` syscall.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    unsafe { sol_memmove_(dst, src, n as u64) };
    dst
}

/// `memset` through the `sol_memset_` syscall.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memset(dst: *mut u8, c: i32, n: usize) -> *mut u8 {
    unsafe { sol_memset_(dst, c as u8, n as u64) };
    dst
}

/// `memcmp` through the `sol_memcmp_` syscall.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut result = 0i32;
    unsafe { sol_memcmp_(a, b, n as u64, &mut result) };
    result
}

/// `bcmp` (equality-only `memcmp`, which LLVM may call instead).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    unsafe { memcmp(a, b, n) }
}
