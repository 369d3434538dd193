// One event record as a LogRecord: BinXML parsed up front, values decoded only when a field is asked for.
import type { FieldValue, LogRecord } from '../../core/record.js';
import { normaliseIso } from '../../core/time.js';
import { u32 } from './bytes.js';
import type { ChunkContext, Instance, Node } from './binxml/nodes.js';
import { resolveDocument, type XElem } from './binxml/resolve.js';
import type { RecordRef } from './chunk.js';
import { fieldsText, flattenEvent, type FieldMap } from './render/fields.js';
import { writeInstanceJson } from './render/direct.js';
import { renderJson } from './render/json.js';
import { JsonOut } from './render/out.js';
import { planField, systemPlan } from './render/plan.js';
import { filetimeIsoMs } from './values/format.js';
import { VT } from './values/types.js';

const scratch = new JsonOut(1 << 16);

export class EvtxEvent implements LogRecord {
  readonly source = 'evtx';
  private fields: FieldMap | undefined;
  private timeCache: string | null | undefined;
  private lineCache: number | undefined;
  /** The first error met while decoding values lazily; the record then yields what it could. */
  error: unknown;
  /** The bound on this record's JSON bytes that the size caps were checked against (measure.ts). */
  expandedBytes = 0;

  constructor(
    private readonly ctx: ChunkContext,
    readonly ref: RecordRef,
    private readonly nodes: Node[],
  ) {}

  /**
   * The event's EventRecordID. Logs saved from a selection renumber the record headers but keep the
   * original EventRecordID inside the event, which is the number Event Viewer and other tools show.
   */
  get line(): number {
    if (this.lineCache === undefined) {
      const v = this.get('EventRecordID');
      this.lineCache = typeof v === 'number' ? v : this.ref.id;
    }
    return this.lineCache;
  }

  get offset(): number {
    return this.ctx.fileOffset + this.ref.offset;
  }

  /** TimeCreated at millisecond precision; the record's written time when the event has none. */
  get time(): string | undefined {
    if (this.timeCache === undefined) this.timeCache = this.computeTime() ?? null;
    return this.timeCache ?? undefined;
  }

  private computeTime(): string | undefined {
    const inst = this.instance();
    const parts = inst && systemPlan(inst.template)?.get('TimeCreated_SystemTime');
    if (inst && parts && parts.length === 1) {
      const p = parts[0]!;
      const vals = inst.values;
      if (p.kind === 'subst' && vals.type(p.index) === VT.FileTime && vals.size(p.index) === 8) {
        const o = vals.offsets[p.index]!;
        return filetimeIsoMs(u32(this.ctx.buf, o), u32(this.ctx.buf, o + 4));
      }
    }
    const v = this.get('TimeCreated_SystemTime');
    const iso = typeof v === 'string' ? normaliseIso(v) : undefined;
    return iso ?? filetimeIsoMs(this.ref.writtenLo, this.ref.writtenHi);
  }

  /** The record body when it is one template instance, the shape nearly every event has. */
  private instance(): Instance | undefined {
    const n = this.nodes[0];
    return n !== undefined && n.kind === 'instance' && this.nodes.length === 1 ? n : undefined;
  }

  get(field: string): FieldValue | readonly FieldValue[] | undefined {
    try {
      const inst = this.instance();
      const parts = inst && systemPlan(inst.template)?.get(field);
      if (inst && parts) {
        const v = planField(field, parts, inst.values);
        if (v !== undefined) return v;
      }
      return this.map().get(field);
    } catch (e) {
      this.error ??= e;
      return undefined;
    }
  }

  text(): string {
    return fieldsText(this.safeMap());
  }

  fieldNames(): readonly string[] {
    return [...this.safeMap().keys()];
  }

  /** The element tree with every value bound; throws on damaged BinXML. */
  tree(): XElem[] {
    return resolveDocument(this.nodes);
  }

  /** The record as one evtx_dump-style JSON line; throws on damaged BinXML. */
  json(): string {
    scratch.pos = 0;
    this.writeJson(scratch);
    return scratch.toString();
  }

  /** Writes the JSON line's bytes (without the newline) to `out`; throws on damaged BinXML. */
  writeJson(out: JsonOut): void {
    const inst = this.instance();
    if (inst && writeInstanceJson(out, inst.template.nodes, inst.values)) return;
    out.text(renderJson(this.tree()));
  }

  private map(): FieldMap {
    return (this.fields ??= flattenEvent(this.tree()));
  }

  private safeMap(): FieldMap {
    try {
      return this.map();
    } catch (e) {
      this.error ??= e;
      const none: FieldMap = new Map();
      return (this.fields = none);
    }
  }
}
