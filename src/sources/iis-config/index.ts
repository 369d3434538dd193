// applicationHost.config as an artifact: one record per module it registers (native or managed), damage as
// problems. The same reader gives discovery the IIS site folders (site-roots.ts).

import { FIELD_ROLES } from '../../core/fields.js';
import type { FieldValue, LogRecord, Parser, RecordSink } from '../../core/record.js';
import type { SourceDef } from '../../core/source.js';
import { decodeConfig, readIisConfig } from './modules.js';
import type { IisModule } from './modules.js';
import { isApplicationHostConfig } from './site-roots.js';

/** applicationHost.config is tens of KB; past this it is not read whole (the rest is a located loss). */
export const MAX_IIS_CONFIG = 16 << 20;

const FIELDS = ['Section', 'Name', 'Image', 'Type', 'PreCondition', 'Location'] as const;

export class ModuleRecord implements LogRecord {
  readonly source = 'iis-config';
  readonly line: number;
  readonly offset: number;

  constructor(
    readonly module: IisModule,
    /** The file's last-write time: when the configuration was last changed, not when this entry was. */
    readonly time: string | undefined,
  ) {
    this.line = module.line;
    this.offset = module.offset;
  }

  get(field: string): FieldValue | undefined {
    const m = this.module;
    switch (field) {
      case 'Section':
        return m.section;
      case 'Name':
        return m.name;
      case 'Image':
        return m.image;
      case 'Type':
        return m.type;
      case 'PreCondition':
        return m.preCondition;
      case 'Location':
        return m.location;
      default:
        return undefined;
    }
  }

  text(): string {
    return this.module.raw;
  }

  fieldNames(): readonly string[] {
    return FIELDS;
  }
}

/** Keeps the bytes (bounded), then reads the configuration once they are all there. */
export function createIisConfigParser(path: string, sink: RecordSink, modified?: string): Parser {
  const parts: Buffer[] = [];
  let kept = 0;
  let size = 0;
  return {
    push(chunk) {
      size += chunk.length;
      if (kept < MAX_IIS_CONFIG) {
        const take = chunk.length > MAX_IIS_CONFIG - kept ? chunk.subarray(0, MAX_IIS_CONFIG - kept) : chunk;
        parts.push(Buffer.from(take)); // copy: stream buffers may be reused
        kept += take.length;
      }
    },
    end() {
      if (size > kept)
        sink.problem({
          code: 'limit.iis-config',
          message: `${size} bytes: far larger than an applicationHost.config; only the first ${kept} were read for modules`,
          path,
          offset: kept,
          bytes: size - kept,
          severity: 'limit',
        });
      const config = readIisConfig(decodeConfig(Buffer.concat(parts, kept)));
      for (const d of config.damage)
        sink.problem({
          code: 'iis.config-damaged',
          message: `${d.message}; IIS would refuse this file, and modules registered past this point may not have been read`,
          path,
          line: d.line,
          severity: 'warning',
        });
      for (const m of config.modules) sink.record(new ModuleRecord(m, modified));
    },
  };
}

export const iisConfigSource: SourceDef = {
  id: 'iis-config',
  roles: FIELD_ROLES['iis-config'],
  title: 'IIS configuration (applicationHost.config): the modules it loads',
  priority: 6,
  matchPath: isApplicationHostConfig,
  family: () => 'Configuration',
  createParser: (ctx, sink) => createIisConfigParser(ctx.path, sink, ctx.modified),
  copiesChunks: true,
};
