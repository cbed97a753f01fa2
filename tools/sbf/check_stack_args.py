#!/usr/bin/env python3
"""Fails when an SBPF v0 binary still reads stack-passed call arguments.

Upstream LLVM passes the 6th and later call arguments on the caller's stack; the callee then
loads them at a positive offset from the frame pointer r10 (`ldx rX, [r10 + off]`). SBPF v0
gives every frame its own region with gaps between them, so such loads fault at run time
("Access violation in stack frame"). This scans .text for them.
"""
import struct
import sys


def text_section(elf: bytes) -> bytes:
    if elf[:4] != b"\x7fELF" or elf[4] != 2:
        raise SystemExit(f"not a 64-bit ELF")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3A)
    def header(i):
        return struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize)
    names_off = header(shstrndx)[4]
    for i in range(shnum):
        name, _, _, _, off, size, *_ = header(i)
        end = elf.index(b"\0", names_off + name)
        if elf[names_off + name:end] == b".text":
            return elf[off:off + size]
    raise SystemExit("no .text section")


def stack_argument_loads(text: bytes):
    i = 0
    while i + 8 <= len(text):
        opcode, regs, offset = struct.unpack_from("<BBh", text, i)
        if opcode == 0x18:  # lddw spans two slots
            i += 16
            continue
        src = regs >> 4
        if opcode in (0x61, 0x69, 0x71, 0x79) and src == 10 and offset > 0:
            yield i // 8, offset
        i += 8


def main():
    path = sys.argv[1]
    hits = list(stack_argument_loads(text_section(open(path, "rb").read())))
    if hits:
        for slot, offset in hits[:20]:
            print(f"  instruction {slot}: load from [r10 + {offset}]", file=sys.stderr)
        raise SystemExit(
            f"{path}: {len(hits)} load(s) of stack-passed arguments; SBPF v0 forbids them. "
            "Raise --inline-threshold or reduce the arguments of the function that takes more than 5."
        )
    print(f"{path}: no stack-passed arguments")


if __name__ == "__main__":
    main()
