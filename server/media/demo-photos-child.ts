import { join } from 'node:path';
import { openDb } from '../db/client.ts';
import { jsonLogger } from '../lib/log.ts';
import { drawDemoPhotos } from './demo-photos.ts';
import { localPhotoStore } from './store.ts';

// Run by the server in demo mode as a short-lived child process, so that the image library's
// memory is returned when the drawing is done: `demo-photos-child.ts DATA_DIR LOG_LEVEL`.
const [dataDir, level] = process.argv.slice(2);
// The server ended (even killed, maybe while this was still loading): stop drawing. What is
// drawn is kept; a restart draws the rest.
process.on('disconnect', () => process.exit(0));
if (!process.connected) process.exit(0);
// The channel is only listened to: it must not keep this process alive once the drawing is done.
process.channel?.unref();
const db = openDb(join(dataDir!, 'courtyard.db'));
try {
  await drawDemoPhotos(db, localPhotoStore(join(dataDir!, 'photos')), jsonLogger((level ?? 'info') as Parameters<typeof jsonLogger>[0]));
} finally {
  db.$client.close();
}
