// Test helper: minimal PE images with a version resource, built byte by byte (no real binary needed).

const RES_RVA = 0x1000;

/** Headers for a PE32+ image with one `.rsrc` section whose raw data starts at `rawPtr`. */
export function headers(rawPtr: number, rawSize: number, magic = 0x20b): Buffer {
  const b = Buffer.alloc(0x200);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x40, 0x3c);
  b.write('PE\0\0', 0x40, 'latin1');
  const optSize = magic === 0x20b ? 240 : 224;
  b.writeUInt16LE(0x8664, 0x44);
  b.writeUInt16LE(1, 0x46); // one section
  b.writeUInt16LE(optSize, 0x54);
  const opt = 0x58;
  b.writeUInt16LE(magic, opt);
  const dirBase = magic === 0x20b ? 112 : 96;
  b.writeUInt32LE(16, opt + dirBase - 4);
  b.writeUInt32LE(RES_RVA, opt + dirBase + 16);
  b.writeUInt32LE(rawSize, opt + dirBase + 20);
  const sec = opt + optSize;
  b.write('.rsrc', sec, 'latin1');
  b.writeUInt32LE(rawSize, sec + 8);
  b.writeUInt32LE(RES_RVA, sec + 12);
  b.writeUInt32LE(rawSize, sec + 16);
  b.writeUInt32LE(rawPtr, sec + 20);
  return b;
}

/** A resource section: RT_VERSION → id 1 → language 0x409 → VS_VERSIONINFO with the given versions. */
export function resources(file: number[], product: number[]): Buffer {
  const b = Buffer.alloc(0x100);
  const dir = (off: number, id: number, target: number) => {
    b.writeUInt16LE(1, off + 14); // one id entry
    b.writeUInt32LE(id, off + 16);
    b.writeUInt32LE(target >>> 0, off + 20);
  };
  dir(0x00, 16, 0x80000000 | 0x18);
  dir(0x18, 1, 0x80000000 | 0x30);
  dir(0x30, 0x409, 0x48);
  b.writeUInt32LE(RES_RVA + 0x58, 0x48);
  b.writeUInt32LE(92, 0x4c);
  const v = 0x58;
  b.writeUInt16LE(92, v);
  b.writeUInt16LE(52, v + 2);
  b.write('VS_VERSION_INFO\0', v + 6, 'utf16le');
  const f = v + 40; // 6 + 32 bytes of key, padded to a 4-byte boundary
  b.writeUInt32LE(0xfeef04bd, f);
  b.writeUInt32LE(0x00010000, f + 4);
  const [a = 0, c = 0, d = 0, e = 0] = file;
  b.writeUInt32LE(((a << 16) | c) >>> 0, f + 8);
  b.writeUInt32LE(((d << 16) | e) >>> 0, f + 12);
  const [pa = 0, pc = 0, pd = 0, pe = 0] = product;
  b.writeUInt32LE(((pa << 16) | pc) >>> 0, f + 16);
  b.writeUInt32LE(((pd << 16) | pe) >>> 0, f + 20);
  return b;
}

/** A whole PE32+ (or PE32) image of 0x300 bytes: headers, then the resource section at 0x200. */
export function peImage(file: number[], product: number[], magic = 0x20b): Buffer {
  return Buffer.concat([headers(0x200, 0x100, magic), resources(file, product)]);
}
