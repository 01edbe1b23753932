/**
 * PGlite has no lock of its own: two processes opening the same data directory would corrupt it.
 * The first process writes `<dataDir>/portal.lock` exclusively (O_EXCL) with its pid and host; a
 * second one finds it, sees that the pid is alive, and stops with a clear message. A lock left by a
 * process that died (SIGKILL, power loss) names a pid that is gone and is taken over.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockInfo,
  ) {
    super(
      `Thư mục dữ liệu ${dataDir} đang được một tiến trình khác sử dụng (pid ${holder.pid}, từ ${holder.since}).\n` +
        `The data directory ${dataDir} is in use by another Cổng DVC process (pid ${holder.pid} on ${holder.host}, ` +
        `since ${holder.since}). The embedded database allows one process only: stop that process, or use ` +
        'another DATA_DIR, or run on PostgreSQL with DATABASE_URL.',
    );
    this.name = 'DataDirLockedError';
  }
}

interface LockInfo {
  pid: number;
  host: string;
  since: string;
}

export interface DataDirLock {
  path: string;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockInfo | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockInfo>;
    if (typeof info.pid !== 'number' || typeof info.host !== 'string') return undefined;
    return { pid: info.pid, host: info.host, since: String(info.since ?? '?') };
  } catch {
    return undefined;
  }
}

export function lockDataDir(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'portal.lock');
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o644);
      fs.writeSync(fd, JSON.stringify(mine));
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      let released = false;
      return {
        path: file,
        release() {
          if (released) return;
          released = true;
          const holder = readLock(file);
          if (holder?.pid === mine.pid && holder.host === mine.host) fs.rmSync(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readLock(file);
      // A lock being written this very moment reads as empty: wait a little and look again.
      if (!holder) {
        const stat = fs.statSync(file, { throwIfNoEntry: false });
        if (stat && Date.now() - stat.mtimeMs < 2000) {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
          continue;
        }
      } else if (holder.host !== os.hostname() || isAlive(holder.pid)) {
        throw new DataDirLockedError(dataDir, holder);
      }
      // Stale: its process is gone. Remove it and try again.
      fs.rmSync(file, { force: true });
    }
  }
  const holder = readLock(file) ?? { pid: -1, host: '?', since: '?' };
  throw new DataDirLockedError(dataDir, holder);
}
