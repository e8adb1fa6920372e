import { join } from 'node:path';
import { openDb } from '../db/client.ts';
import { jsonLogger } from '../lib/log.ts';
import { drawDemoPhotos } from './demo-photos.ts';
import { localPhotoStore } from './store.ts';

// Run by the server in demo mode as a short-lived child process, so that the image library's
// memory is returned when the drawing is done: `demo-photos-child.ts DATA_DIR LOG_LEVEL`.
const [dataDir, level] = process.argv.slice(2);
const db = openDb(join(dataDir!, 'courtyard.db'));
try {
  await drawDemoPhotos(db, localPhotoStore(join(dataDir!, 'photos')), jsonLogger((level ?? 'info') as Parameters<typeof jsonLogger>[0]));
} finally {
  db.$client.close();
}
