#!/usr/bin/env python3
"""Regenerates tools/sbf/std-solana.patch from an edited copy of the std sources.

Usage: make_patch.py <pristine library dir> <edited library dir>
Each file's hunks get the comment of NOTES below; a file without a note is refused.
"""
import re
import subprocess
import sys
from pathlib import Path

NOTES = {
    "compiler-builtins/compiler-builtins/src/int/mul.rs": "__multi3: not on arch bpf, where LLVM's libcall convention (result in r0/r2) differs from rustc's BPF ABI (result through a pointer); the program provides it",
    "compiler-builtins/compiler-builtins/src/int/udiv.rs": "__udivti3, __umodti3: not on arch bpf (same reason as __multi3)",
    "compiler-builtins/compiler-builtins/src/int/sdiv.rs": "__divti3, __modti3: not on arch bpf (same reason as __multi3)",
    "std/src/alloc.rs": "out-of-memory handler: on os solana log with the sol_log_ syscall and abort, without reading the hook static",
    "std/src/hash/random.rs": "HashMap/HashSet keys: on os solana fixed keys instead of a thread-local seeded from the OS (Anchor's account checks build a HashSet; SBF has no randomness and no writable statics)",
    "std/src/panicking.rs": "panics: on os solana the panic handler calls the program's custom_panic (from its entrypoint macro) then the abort syscall, and begin_panic (panic! with a non-format payload) goes through that handler; no panic-count or hook statics, which SBF cannot relocate",
    "std/src/sys/alloc/mod.rs": "MIN_ALIGN 16 for arch bpf, and route os solana to a System allocator of its own",
    "std/src/sys/alloc/solana.rs": "the os solana System allocator: answers null (the program installs its own bump allocator as the global allocator)",
    "std/src/sys/io/error/mod.rs": "io errors: os solana has no errno; use the generic (unsupported) branch",
    "std/src/sys/random/mod.rs": "randomness: os solana has none; use the unsupported branch",
    "std/src/sys/thread_local/mod.rs": "thread locals: os solana is single-threaded; use the no-threads storage and destructor registration",
}
HEADER = """# Teaches Rust 1.96's std the target os "solana" (SBF programs), for -Zbuild-std.
# Applied by tools/sbf/install.sh to a copy of Debian's rust-web-src, with patch -p1.
# Each file's hunks are introduced by a comment line saying what they do.
# Regenerate with tools/sbf/make_patch.py after editing a copy of the sources.

"""


def main():
    pristine, edited = sys.argv[1], sys.argv[2]
    diff = subprocess.run(["diff", "-ruN", pristine, edited], capture_output=True, text=True).stdout
    out = [HEADER]
    for part in re.split(r"(?m)^(?=diff -ruN)", diff):
        if not part.strip():
            continue
        path = re.search(r"(?m)^\+\+\+ \S*?/library/(\S+)", part).group(1)
        if path not in NOTES:
            raise SystemExit(f"no note for {path}: add one to NOTES")
        body = re.sub(r"(?m)^diff -ruN.*\n", "", part)
        body = re.sub(r"(?m)^--- \S*?/library/(\S+)\t.*$", r"--- a/library/\1", body)
        body = re.sub(r"(?m)^\+\+\+ \S*?/library/(\S+)\t.*$", r"+++ b/library/\1", body)
        out.append(f"# {path}: {NOTES[path]}\n{body}")
    Path(__file__).with_name("std-solana.patch").write_text("".join(out))


if __name__ == "__main__":
    main()
