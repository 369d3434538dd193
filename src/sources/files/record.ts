// A whole file as one record (web-served scripts, staged dumps and archives): name, size, magic and content.

import type { FieldValue, LogRecord } from '../../core/record.js';

/** Content kept for detectors; the whole file is still hashed. */
export const MAX_CONTENT = 4 << 20;

/**
 * Content kept of a web-served script: far above any real page (Exchange's largest are a few hundred KB), so
 * a shell padded with megabytes is still read; the detector reads it in overlapping windows. Beyond this the
 * rest is reported as `limit.web-file-content` (loss `part`).
 */
export const MAX_WEB_CONTENT = 64 << 20;

export class FileRecord implements LogRecord {
  readonly line = 1;
  readonly offset = 0;
  readonly time: string | undefined;

  constructor(
    readonly source: string,
    readonly path: string,
    readonly size: number,
    /** The first bytes of the file, up to MAX_CONTENT (MAX_WEB_CONTENT for web-served scripts). */
    readonly head: Buffer,
    modified: string | undefined,
  ) {
    this.time = modified;
  }

  get(field: string): FieldValue | undefined {
    switch (field) {
      case 'Path':
        return this.path;
      case 'Name':
        return this.path.slice(this.path.lastIndexOf('/') + 1);
      case 'Extension': {
        const name = this.path.slice(this.path.lastIndexOf('/') + 1);
        const dot = name.lastIndexOf('.');
        return dot < 0 ? '' : name.slice(dot).toLowerCase();
      }
      case 'Size':
        return this.size;
      case 'Content':
        return this.text();
      case 'Truncated':
        return this.size > this.head.length;
      default:
        return undefined;
    }
  }

  private content: string | undefined;

  /** Latin-1 keeps every byte as one character, so binary wrappers (PST, DER) stay searchable. */
  text(): string {
    return (this.content ??= this.head.toString('latin1'));
  }

  fieldNames(): readonly string[] {
    return ['Path', 'Name', 'Extension', 'Size', 'Content', 'Truncated'];
  }
}
