#!/usr/bin/env python3
"""Fails when an SBF binary still passes call arguments on the stack.

Upstream LLVM passes the 6th and later call arguments on the caller's stack; the callee then
loads them at a positive offset from the frame pointer r10 (`ldx rX, [r10 + off]`). SBPF v0
gives every frame its own region with gaps between them, so such loads fault at run time
("Access violation in stack frame"). This scans .text for them.
"""
import struct
import sys


def text_section(elf: bytes) -> bytes:
    """The .text section by its section header; the executable segment only when the binary has
    no section headers (the segment also holds .rodata, whose bytes can look like instructions)."""
    if elf[:4] != b"\x7fELF" or elf[4] != 2:
        raise SystemExit("not a 64-bit ELF")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3A)
    if shoff and shnum:
        def header(i):
            return struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize)
        names_off = header(shstrndx)[4]
        for i in range(shnum):
            name, _, _, _, off, size, *_ = header(i)
            end = elf.index(b"\0", names_off + name)
            if elf[names_off + name:end] == b".text":
                return elf[off:off + size]
    phoff, = struct.unpack_from("<Q", elf, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
    for i in range(phnum):
        p_type, p_flags, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", elf, phoff + i * phentsize)
        if p_type == 1 and p_flags & 1:  # PT_LOAD, executable
            return elf[p_offset:p_offset + p_filesz]
    raise SystemExit("no .text section")


def stack_argument_loads(text: bytes):
    i = 0
    while i + 8 <= len(text):
        opcode, regs, offset = struct.unpack_from("<BBh", text, i)
        if opcode == 0x18:  # lddw spans two slots
            i += 16
            continue
        src = regs >> 4
        dst = regs & 0x0F
        load = opcode in (0x61, 0x69, 0x71, 0x79) and src == 10
        store = opcode in (0x62, 0x6A, 0x72, 0x7A, 0x63, 0x6B, 0x73, 0x7B) and dst == 10
        if (load or store) and offset > 0:
            yield i // 8, ("load from" if load else "store to"), offset
        i += 8


def main():
    path = sys.argv[1]
    hits = list(stack_argument_loads(text_section(open(path, "rb").read())))
    if hits:
        for slot, kind, offset in hits[:20]:
            print(f"  instruction {slot}: {kind} [r10 + {offset}]", file=sys.stderr)
        raise SystemExit(
            f"{path}: {len(hits)} access(es) to stack-passed arguments; SBPF forbids them. "
            "Raise --inline-threshold or reduce the arguments of the function that takes more than 5."
        )
    print(f"{path}: no stack-passed arguments")


if __name__ == "__main__":
    main()
