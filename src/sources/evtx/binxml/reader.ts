// Turns BinXML tokens into nodes: documents, elements, attributes, content and template instances.
import { u16, u32 } from '../bytes.js';
import { EvtxFormatError, need } from '../errors.js';
import { EvtxLimitError } from '../limits.js';
import { decodeValue } from '../values/decode.js';
import { VT, fixedSize } from '../values/types.js';
import {
  elemNode,
  instanceNode,
  piNode,
  substNode,
  textNode,
  valueNode,
  type Attr,
  type ChunkContext,
  type Elem,
  type Instance,
  type Node,
  type PI,
  Substitutions,
} from './nodes.js';
import { getTemplate } from './template.js';
import { ENTITIES, MORE, TOK } from './tokens.js';

const tokenName = (t: number | undefined): string =>
  t === undefined ? 'end of data' : '0x' + t.toString(16);

export class BinXmlReader {
  private readonly b: Buffer;
  pos: number;
  /** Elements open in this reader; with `depth`, the nesting the chunk's depth cap applies to. */
  private level = 0;

  constructor(
    private readonly ctx: ChunkContext,
    start: number,
    private readonly end: number,
    private readonly depth = 0,
    /**
     * Element starts carry a 2-byte dependency identifier only inside template definitions; record
     * bodies written without a template (forwarded events) and nested BinXML values omit it.
     */
    private readonly inTemplate = false,
  ) {
    if (depth > ctx.maxDepth) throw this.tooDeep(start, depth);
    if (end > ctx.buf.length)
      throw new EvtxFormatError(
        'BinXML runs past the chunk',
        start,
        `at most ${ctx.buf.length - start} bytes`,
        `${end - start}`,
      );
    this.b = ctx.buf;
    this.pos = start;
  }

  /** Fragments, template instances, elements and PIs up to the end-of-file token or the end of the data. */
  parseDocument(): Node[] {
    const nodes: Node[] = [];
    const b = this.b;
    while (this.pos < this.end) {
      const t = b[this.pos]!;
      switch (t & ~MORE) {
        case TOK.EOF:
          this.pos++;
          return nodes;
        case TOK.FragmentHeader:
          need(this.pos, 4, this.end, 'fragment header');
          this.pos += 4;
          break;
        case TOK.TemplateInstance:
          nodes.push(this.parseInstance());
          break;
        case TOK.OpenStartElement:
          nodes.push(this.parseElement());
          break;
        case TOK.PITarget:
          nodes.push(this.parsePI());
          break;
        default:
          throw new EvtxFormatError(
            'unexpected token in BinXML document',
            this.pos,
            'fragment, template instance or element',
            tokenName(t),
          );
      }
    }
    return nodes;
  }

  private tooDeep(at: number, depth: number): EvtxLimitError {
    const max = this.ctx.maxDepth;
    return new EvtxLimitError(
      'limit.evtx-depth',
      'BinXML nested too deeply',
      at,
      `at most ${max} levels`,
      `${depth}`,
    );
  }

  private parseElement(): Elem {
    // Bounded here, while parsing, so that hostile nesting never reaches the stack's own limit.
    if (this.depth + this.level >= this.ctx.maxDepth)
      throw this.tooDeep(this.pos, this.depth + this.level + 1);
    this.level++;
    const e = this.parseElementBody();
    this.level--;
    return e;
  }

  private parseElementBody(): Elem {
    const b = this.b;
    const tok = b[this.pos]!;
    const head = this.inTemplate ? 11 : 9;
    need(this.pos, head, this.end, 'element start');
    // token, [dependency id (u16)], data size (u32), name offset (u32)
    this.pos += head - 4;
    const name = this.readName(this.readNameOffset());
    const attrs: Attr[] = [];
    if (tok & MORE) {
      need(this.pos, 4, this.end, 'attribute list');
      this.pos += 4; // attribute list size: the tokens themselves say where the list ends
      while (this.pos < this.end && (b[this.pos]! & ~MORE) === TOK.Attribute)
        attrs.push(this.parseAttribute());
    }
    const close = b[this.pos];
    if (close === TOK.CloseEmptyElement) {
      this.pos++;
      return elemNode(name, attrs, []);
    }
    if (close !== TOK.CloseStartElement) {
      throw new EvtxFormatError(
        `element <${name}> start not closed`,
        this.pos,
        'close start or close empty element token',
        tokenName(close),
      );
    }
    this.pos++;
    return elemNode(name, attrs, this.parseContent(name));
  }

  private readNameOffset(): number {
    const off = u32(this.b, this.pos);
    this.pos += 4;
    return off;
  }

  private parseAttribute(): Attr {
    need(this.pos, 5, this.end, 'attribute');
    this.pos++;
    const name = this.readName(this.readNameOffset());
    const parts: Node[] = [];
    while (this.pos < this.end) {
      const part = this.parseTextPart();
      if (part === undefined) break;
      parts.push(part);
    }
    return { name, parts, jsonKey: undefined };
  }

  /** A value, substitution, character or entity reference at `pos`, or undefined for any other token. */
  private parseTextPart(): Node | undefined {
    const b = this.b;
    const t = b[this.pos]!;
    switch (t & ~MORE) {
      case TOK.Value:
        return this.parseValue();
      case TOK.NormalSubstitution:
      case TOK.OptionalSubstitution:
        need(this.pos, 4, this.end, 'substitution');
        this.pos += 4;
        return substNode(u16(b, this.pos - 3), b[this.pos - 1]!, t === TOK.OptionalSubstitution);
      case TOK.CharRef:
        need(this.pos, 3, this.end, 'character reference');
        this.pos += 3;
        return textNode(String.fromCharCode(u16(b, this.pos - 2)));
      case TOK.EntityRef: {
        need(this.pos, 5, this.end, 'entity reference');
        this.pos++;
        const name = this.readName(this.readNameOffset());
        return textNode(ENTITIES[name] ?? `&${name};`);
      }
      case TOK.CDataSection:
        this.pos++;
        return textNode(this.readCountedString('CDATA section'));
      default:
        return undefined;
    }
  }

  private parseValue(): Node {
    const b = this.b;
    need(this.pos, 2, this.end, 'value token');
    const type = b[this.pos + 1]!;
    this.pos += 2;
    if (type === VT.String) return textNode(this.readCountedString('value text'));
    const n = fixedSize(type);
    if (n === 0 || type & 0x80) {
      throw new EvtxFormatError(
        'value token of a type without a fixed size',
        this.pos - 1,
        'string or fixed-size type',
        tokenName(type),
      );
    }
    need(this.pos, n, this.end, 'value');
    this.pos += n;
    return valueNode(decodeValue(b, this.pos - n, n, type));
  }

  private readCountedString(what: string): string {
    need(this.pos, 2, this.end, what);
    const count = u16(this.b, this.pos);
    need(this.pos, 2 + count * 2, this.end, what);
    this.pos += 2 + count * 2;
    return this.b.toString('utf16le', this.pos - count * 2, this.pos);
  }

  private parseContent(parent: string): Node[] {
    const b = this.b;
    const children: Node[] = [];
    while (this.pos < this.end) {
      const t = b[this.pos]!;
      switch (t & ~MORE) {
        case TOK.EndElement:
          this.pos++;
          return children;
        case TOK.OpenStartElement:
          children.push(this.parseElement());
          break;
        case TOK.PITarget:
          children.push(this.parsePI());
          break;
        case TOK.TemplateInstance:
          children.push(this.parseInstance());
          break;
        case TOK.FragmentHeader:
          need(this.pos, 4, this.end, 'fragment header');
          this.pos += 4;
          break;
        default: {
          const part = this.parseTextPart();
          if (part === undefined) {
            throw new EvtxFormatError(
              `unexpected token in <${parent}>`,
              this.pos,
              'content or end element token',
              tokenName(t),
            );
          }
          children.push(part);
        }
      }
    }
    throw new EvtxFormatError(`element <${parent}> not closed`, this.pos, 'end element token', 'end of data');
  }

  private parsePI(): PI {
    need(this.pos, 5, this.end, 'PI target');
    this.pos++;
    const target = this.readName(this.readNameOffset());
    let data = '';
    if (this.b[this.pos] === TOK.PIData) {
      this.pos++;
      data = this.readCountedString('PI data');
    }
    return piNode(target, data);
  }

  /** Template instance: a reference to (or inline) definition, then the value descriptors and values. */
  private parseInstance(): Instance {
    const b = this.b;
    need(this.pos, 10, this.end, 'template instance');
    const defOffset = u32(b, this.pos + 6);
    this.pos += 10;
    const template = getTemplate(this.ctx, defOffset, this.pos - 4, (s, e) =>
      new BinXmlReader(this.ctx, s, e, this.depth + this.level + 1, true).parseDocument(),
    );
    if (defOffset === this.pos) {
      // The definition is stored right here, the first time the chunk uses it: step over it.
      need(this.pos, 24, this.end, 'template definition');
      need(this.pos, 24 + u32(b, this.pos + 20), this.end, 'template definition');
      this.pos += 24 + u32(b, this.pos + 20);
    }
    need(this.pos, 4, this.end, 'template instance data');
    const count = u32(b, this.pos);
    this.pos += 4;
    need(this.pos, count * 4, this.end, 'template value descriptors');
    // A plain array: V8 gives small typed arrays a backing store of their own, costly by the million.
    const offsets: number[] = [];
    let at = this.pos + count * 4;
    for (let i = 0; i < count; i++) {
      offsets.push(at);
      at += u16(b, this.pos + i * 4);
    }
    if (at > this.end) {
      throw new EvtxFormatError(
        'template values run past the end of the data',
        this.pos,
        `at most ${this.end - this.pos} bytes of values`,
        `${at - this.pos}`,
      );
    }
    const descriptors = this.pos;
    this.pos = at;
    return instanceNode(template, new Substitutions(this.ctx, descriptors, offsets));
  }

  /**
   * A name at chunk offset `off`; when `off` is the current position the name is stored inline here.
   * A name that does not fit the chunk is reported where it is referenced (`pos - 4`), never at the
   * offset read from the data, which may lie anywhere.
   */
  private readName(off: number): string {
    const b = this.b;
    const inline = off === this.pos;
    let name = this.ctx.names.get(off);
    if (name === undefined || inline) {
      const count = off + 8 <= b.length ? u16(b, off + 6) : -1;
      // XML names are never empty: an empty one is zeros where a name should be.
      if (count <= 0 || off + 10 + count * 2 > b.length) {
        const found = count < 0 ? `offset ${off}` : `${count} characters at offset ${off}`;
        const what = count === 0 ? 'name is empty' : 'name runs past the end of the chunk';
        throw new EvtxFormatError(
          what,
          this.pos - 4,
          `a name inside the ${b.length} bytes of the chunk`,
          found,
        );
      }
      name ??= b.toString('utf16le', off + 8, off + 8 + count * 2);
      this.ctx.names.set(off, name);
      if (inline) this.pos += 10 + count * 2;
    }
    return name;
  }
}
