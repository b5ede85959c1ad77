// The SQLite checkpointer (platform/db/database.ts, `backgroundCheckpoints`): a connection of its
// own, on a thread of its own, that copies the write-ahead log into the database file every
// `intervalMs`. A PASSIVE checkpoint never blocks the server's reads and writes, and its fsyncs
// happen here instead of in the middle of a request. Plain JavaScript: a worker runs without tsx.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort?.postMessage({ type: 'error', message: String(err) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort?.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort?.postMessage({ type: 'stopped' });
  parentPort?.close();
});
parentPort?.postMessage({ type: 'ready' });
