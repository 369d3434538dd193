// BinXML value types (libevtx "Value types") and the fixed byte size of each, for values and arrays.

export const VT = {
  Null: 0x00,
  String: 0x01,
  AnsiString: 0x02,
  Int8: 0x03,
  UInt8: 0x04,
  Int16: 0x05,
  UInt16: 0x06,
  Int32: 0x07,
  UInt32: 0x08,
  Int64: 0x09,
  UInt64: 0x0a,
  Real32: 0x0b,
  Real64: 0x0c,
  Bool: 0x0d,
  Binary: 0x0e,
  Guid: 0x0f,
  SizeT: 0x10,
  FileTime: 0x11,
  SysTime: 0x12,
  Sid: 0x13,
  HexInt32: 0x14,
  HexInt64: 0x15,
  EvtHandle: 0x20,
  BinXml: 0x21,
  EvtXml: 0x23,
} as const;

/** Set on a value type to mean an array of that type. */
export const ARRAY = 0x80;

/** Byte size of one item of a fixed-size type; 0 for variable-size types (strings, binary, SID, BinXML). */
export function fixedSize(type: number): number {
  switch (type & 0x7f) {
    case VT.Int8:
    case VT.UInt8:
      return 1;
    case VT.Int16:
    case VT.UInt16:
      return 2;
    case VT.Int32:
    case VT.UInt32:
    case VT.Real32:
    case VT.Bool:
    case VT.HexInt32:
      return 4;
    case VT.Int64:
    case VT.UInt64:
    case VT.Real64:
    case VT.FileTime:
    case VT.HexInt64:
      return 8;
    case VT.Guid:
    case VT.SysTime:
      return 16;
    default:
      return 0;
  }
}

/**
 * A decoded value. Integers that fit a double exactly are numbers, wider ones bigints; hex integers,
 * GUIDs, SIDs, times and binary are strings rendered the way Windows renders them; arrays are arrays.
 */
export type Scalar = string | number | boolean | bigint | null;
export type Decoded = Scalar | Scalar[];
