# Re-points one version need of a shared object (`fixver.py FILE GLIBC_2.38 GLIBC_2.2.5`) at an older version.
# Used only to load the Jazzer.js prebuild on older systems (see README.md): once `patchelf
# --clear-symbol-version` has freed the symbols that needed the new version, the loader still checks the
# version need itself; pointing it at a version every glibc has lets the object load.
import struct, sys

if len(sys.argv) != 4:
    sys.exit('usage: fixver.py FILE VERSION_TO_DROP VERSION_TO_USE')
path = sys.argv[1]
b = bytearray(open(path, 'rb').read())
def elf_hash(name):
    h = 0
    for c in name.encode():
        h = ((h << 4) + c) & 0xffffffff
        g = h & 0xf0000000
        if g: h ^= g >> 24
        h &= ~g & 0xffffffff
    return h
# section headers
e_shoff, = struct.unpack_from('<Q', b, 0x28)
e_shentsize, e_shnum, e_shstrndx = struct.unpack_from('<HHH', b, 0x3a)
secs = []
for i in range(e_shnum):
    o = e_shoff + i * e_shentsize
    name, typ, flags, addr, off, size, link, info, align, entsize = struct.unpack_from('<IIQQQQIIQQ', b, o)
    secs.append((name, typ, off, size, link, info))
verneed = [s for s in secs if s[1] == 0x6ffffffe][0]
dynstr_off = secs[verneed[4]][2]
def cstr(o):
    e = b.index(0, o); return b[o:e].decode()
target = sys.argv[3].encode() + b'\0'
name_off = b.index(target, dynstr_off) - dynstr_off
o = verneed[2]
for _ in range(verneed[5]):
    vn_version, vn_cnt, vn_file, vn_aux, vn_next = struct.unpack_from('<HHIII', b, o)
    a = o + vn_aux
    for _ in range(vn_cnt):
        vna_hash, vna_flags, vna_other, vna_name, vna_next = struct.unpack_from('<IHHII', b, a)
        if cstr(dynstr_off + vna_name) == sys.argv[2]:
            struct.pack_into('<IHHI', b, a, elf_hash(sys.argv[3]), vna_flags, vna_other, name_off)
            print(f'{sys.argv[2]} -> {sys.argv[3]} at byte {a}')
        a += vna_next
        if vna_next == 0: break
    o += vn_next
    if vn_next == 0: break
open(path, 'wb').write(b)
