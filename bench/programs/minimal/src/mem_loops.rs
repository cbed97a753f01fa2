//! A toolchain variant (feature `mem-loops`): the runtime's memory syscalls that `memcpy` & co.
//! forward to (`crates/sbf/src/builtins.rs`) defined here as plain byte loops in bytecode, so that the
//! linker resolves them to these functions instead of syscalls: measures which is cheaper. The
//! loops are volatile so that LLVM does not turn them back into calls of `memcpy`.

/// `sol_memcpy_` as a byte loop.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sol_memcpy_(dst: *mut u8, src: *const u8, n: u64) {
    for i in 0..n as usize {
        unsafe { dst.add(i).write_volatile(src.add(i).read_volatile()) };
    }
}

/// `sol_memmove_` as a byte loop, backwards when the ranges overlap that way.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sol_memmove_(dst: *mut u8, src: *const u8, n: u64) {
    if (dst as usize) <= (src as usize) {
        return unsafe { sol_memcpy_(dst, src, n) };
    }
    for i in (0..n as usize).rev() {
        unsafe { dst.add(i).write_volatile(src.add(i).read_volatile()) };
    }
}

/// `sol_memset_` as a byte loop.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sol_memset_(dst: *mut u8, c: u8, n: u64) {
    for i in 0..n as usize {
        unsafe { dst.add(i).write_volatile(c) };
    }
}

/// `sol_memcmp_` as a byte loop.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sol_memcmp_(a: *const u8, b: *const u8, n: u64, result: *mut i32) {
    let mut difference = 0;
    for i in 0..n as usize {
        let (x, y) = unsafe { (a.add(i).read_volatile(), b.add(i).read_volatile()) };
        if x != y {
            difference = i32::from(x) - i32::from(y);
            break;
        }
    }
    unsafe { result.write(difference) };
}
