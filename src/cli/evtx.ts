// `exhunt evtx dump FILE|DIR...`: every event record as one line of JSON on stdout, problems on stderr.
import { dumpFiles, expandPaths, type DumpOptions } from '../sources/evtx/dump.js';

/**
 * Exit code 0 when every record was read, 1 when some records or chunks were damaged (the rest is
 * still written), 2 when a path does not exist or no file could be read.
 */
export async function evtxDumpCommand(paths: string[], opts: DumpOptions): Promise<number> {
  if (paths.length === 0) {
    opts.err.write('usage: exhunt evtx dump FILE|DIR...\n');
    return 2;
  }
  const { files, missing, errors } = expandPaths(paths, opts.err);
  const stats = await dumpFiles(files, opts);
  opts.err.write(`${stats.files} file(s), ${stats.records} record(s), ${stats.badRecords} unreadable\n`);
  if (missing > 0 || (files.length > 0 && stats.files === 0)) return 2;
  return errors > 0 || stats.errors > 0 || stats.badRecords > 0 ? 1 : 0;
}
