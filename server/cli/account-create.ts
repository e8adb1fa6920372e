import { eq } from 'drizzle-orm';
import { accountForPhone, grantRole, revokeRole } from '../db/accounts.ts';
import { appendAudit } from '../db/audit.ts';
import { accounts, towns, villages } from '../db/schema.ts';
import { isPhone, normalizePhone } from '../domain/phone.ts';
import { arg, fail, openDataDb } from './common.ts';

// npm run account:create -- --phone 13800138000 --role village_cadre --scope 350582102207 [--remove]
const usage =
  'usage: npm run account:create -- --phone <11-digit mobile> --role village_cadre|grid_worker|town_admin --scope <12-digit village code | 9-digit town code> [--remove]';
const phone = normalizePhone(arg('phone') ?? '');
const role = arg('role');
const scope = arg('scope') ?? '';
const remove = process.argv.includes('--remove');
if (!isPhone(phone)) fail(`Not a mainland mobile number: "${arg('phone') ?? ''}".\n${usage}`);
if (role !== 'village_cadre' && role !== 'grid_worker' && role !== 'town_admin') fail(`Unknown role "${role ?? ''}".\n${usage}`);

const { db, file } = openDataDb();
const place =
  role === 'town_admin'
    ? db.select({ name: towns.name }).from(towns).where(eq(towns.id, scope)).get()
    : db.select({ name: villages.name }).from(villages).where(eq(villages.id, scope)).get();
if (!place) fail(`No ${role === 'town_admin' ? 'town (9 digits)' : 'village (12 digits)'} with code "${scope}". See GET /api/places/villages.\n${usage}`);

const now = Date.now();
if (remove) {
  // A cadre who leaves office: the role goes, the account (and its household) stays.
  const account = db.select({ id: accounts.id }).from(accounts).where(eq(accounts.phone, phone)).get();
  const removed = db.transaction((tx) => {
    if (!account || !revokeRole(tx, account.id, role, scope)) return false;
    appendAudit(tx, { actorId: null, action: 'role.revoke', subjectType: 'account', subjectId: account.id, before: { role, scope }, reason: 'command line' }, now);
    return true;
  });
  db.$client.close();
  if (!removed) fail(`${phone} is not ${role} of ${place.name} (${scope}) in ${file}; nothing changed.`);
  console.log(`${phone} is no longer ${role} of ${place.name} (${scope}) in ${file}. Their next request is answered without it.`);
} else {
  db.transaction((tx) => {
    const account = accountForPhone(tx, phone, now, false);
    grantRole(tx, account.id, role, scope, now);
    appendAudit(tx, { actorId: null, action: 'role.grant', subjectType: 'account', subjectId: account.id, after: { role, scope }, reason: 'command line' }, now);
  });
  db.$client.close();
  console.log(`${phone} is now ${role} of ${place.name} (${scope}) in ${file}. They sign in with a code sent to that phone.`);
}
