// The server killed with SIGKILL while devices push as fast as they can, three times over,
// on SQLite (WAL, synchronous=FULL) and — when TEST_DATABASE_URL names one — on PostgreSQL.
// After each restart: every write the server acknowledged is there (its revision holds the
// value it wrote), replaying any acknowledged mutation returns the same outcome and changes
// nothing, the database passes its own integrity check (SQLite's integrity_check, PostgreSQL's
// amcheck on every index) and every plan has exactly as many versions as its revision says.
//
// No browser: the devices here are Node's fetch, so hundreds of writes happen per second.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { TestServer, ApiClient, validDocument } from './harness.mjs';

const WRITERS = ['mttq', 'thpt-loc-thanh', 'loc-an', 'loc-bao'];
const DEVICES_PER_WRITER = 2;
const KILLS = 3;

/** One device writing in a loop until the server dies under it. */
class Writer {
  constructor(api, plan, field) {
    this.api = api;
    this.plan = plan;
    this.field = field;
    this.revision = plan.revision;
    const [section, key] = field.split('.');
    /** The field's value as this device last saw it: the base of its next edit. */
    this.current = plan.document[section][key];
    this.n = 0;
    /** Acknowledged mutations: the request sent and the result the server answered. */
    this.acked = [];
  }

  async run() {
    for (;;) {
      this.n += 1;
      const value = `${this.field}:${this.api.deviceId.slice(0, 8)}:${this.n}`;
      const mutation = {
        id: crypto.randomUUID(),
        plan_id: this.plan.id,
        base_revision: this.revision,
        created_at: new Date().toISOString(),
        op: { edit: { changes: [{ path: this.field, base: this.current, value }] } },
      };
      let answer;
      try {
        answer = await this.api.call('POST', '/api/v1/sync/push', {
          protocol: 1, device_id: this.api.deviceId, mutations: [mutation],
        });
      } catch {
        return; // the server is gone: this write was never acknowledged
      }
      const result = answer.results[0];
      this.acked.push({ mutation, value, result });
      const plan = Object.values(result)[0].plan;
      if (plan) this.revision = plan.revision;
      this.current = value;
    }
  }
}

async function startWriters(baseUrl) {
  const writers = [];
  const setup = new ApiClient(baseUrl);
  await setup.login('bantochuc');
  const campaign = (await setup.pullAll()).find((c) => c.campaign)?.campaign.campaign;
  assert.ok(campaign, 'the demo campaign is there');
  for (const username of WRITERS) {
    for (let d = 0; d < DEVICES_PER_WRITER; d += 1) {
      const api = new ApiClient(baseUrl);
      await api.login(username);
      let plan = (await api.plans()).find((p) => p.campaign_id === campaign.id);
      if (!plan) {
        const created = await api.push(crypto.randomUUID(), 0, {
          create: { unit_id: api.me.unit_id, campaign_id: campaign.id, document: validDocument(campaign) },
        });
        plan = created.plan;
      }
      // Two devices of one unit write different fields: no conflicts, every write applies.
      const field = d === 0 ? 'sections.notes' : 'sections.assessment';
      writers.push(new Writer(api, plan, field));
    }
  }
  return writers;
}

/** Every acknowledged write is in the database, and replaying it changes nothing. */
async function verify(baseUrl, writers) {
  let checked = 0;
  for (const w of writers) {
    const api = new ApiClient(baseUrl);
    api.deviceId = w.api.deviceId;
    await api.login(w.api.me.username);
    const before = (await api.plans()).find((p) => p.id === w.plan.id);
    for (const { mutation, value, result } of w.acked) {
      const [outcome, body] = Object.entries(result)[0];
      assert.equal(outcome, 'applied', `write ${mutation.id} was applied`);
      const revision = body.plan.revision;
      assert.ok(before.revision >= revision, `plan ${w.plan.id} went back from ${revision} to ${before.revision}`);
      const diff = await api.call('GET', `/api/v1/plans/${w.plan.id}/diff?from=${revision - 1}&to=${revision}`);
      const change = diff.changes.find((c) => c.path === mutation.op.edit.changes[0].path);
      assert.equal(change?.new, value, `revision ${revision} holds ${value}`);
      checked += 1;
    }
    // Replaying the last few acknowledged mutations: the stored answers come back, no revision.
    const replay = w.acked.slice(-5).map((a) => a.mutation);
    if (replay.length > 0) {
      const answer = await api.call('POST', '/api/v1/sync/push', { protocol: 1, device_id: api.deviceId, mutations: replay });
      for (const r of answer.results) assert.equal(Object.keys(r)[0], 'applied');
      const after = (await api.plans()).find((p) => p.id === w.plan.id);
      assert.equal(after.revision, before.revision, 'a replay made no new revision');
    }
  }
  return checked;
}

/** Every plan's revision is the number of versions kept for it: a crash between writing the
 *  plan and writing its version would break this. */
const CONSISTENT = 'SELECT count(*) FROM plan p WHERE p.revision <> (SELECT count(*) FROM plan_version v WHERE v.plan_id = p.id)';

function integrityCheck(server) {
  if (server.postgres) {
    // amcheck verifies every B-tree index against its table's pages.
    const sql = `CREATE EXTENSION IF NOT EXISTS amcheck;
      SELECT count(bt_index_check(c.oid)) FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_am a ON a.oid = c.relam
       WHERE n.nspname = 'public' AND a.amname = 'btree';
      ${CONSISTENT};`;
    const out = spawnSync('psql', [server.env.DATABASE_URL, '-v', 'ON_ERROR_STOP=1', '-tA', '-c', sql], { encoding: 'utf8' });
    assert.equal(out.status, 0, `PostgreSQL integrity: ${out.stderr}`);
    const lines = out.stdout.trim().split('\n');
    assert.equal(lines.at(-1), '0', 'every plan has exactly its versions');
    return;
  }
  const file = new URL(server.env.DATABASE_URL.replace(/^sqlite:/, 'file:')).pathname;
  const script = `import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute('PRAGMA integrity_check').fetchone()[0])
print(db.execute(sys.argv[2]).fetchone()[0])`;
  const out = spawnSync('python3', ['-c', script, file, CONSISTENT], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  const [integrity, inconsistent] = out.stdout.trim().split('\n');
  assert.equal(integrity, 'ok', 'SQLite integrity_check');
  assert.equal(inconsistent, '0', 'every plan has exactly its versions');
}

async function killUnderLoad(server) {
  server.seed();
  let total = 0;
  for (let round = 1; round <= KILLS; round += 1) {
    const url = await server.start();
    const writers = await startWriters(url);
    const running = writers.map((w) => w.run());
    // Long enough for hundreds of writes; a different moment each round.
    await new Promise((resolve) => setTimeout(resolve, 800 + Math.floor(Math.random() * 1200)));
    await server.stop('SIGKILL');
    await Promise.all(running);
    integrityCheck(server);
    await server.start();
    const checked = await verify(server.url, writers);
    assert.ok(checked > 0, 'some writes were acknowledged before the kill');
    total += checked;
    await server.stop('SIGTERM');
  }
  return total;
}

test('SIGKILL under write load loses no acknowledged write (SQLite)', async () => {
  const server = new TestServer();
  try {
    const checked = await killUnderLoad(server);
    console.log(`durability (SQLite): ${checked} acknowledged writes checked after ${KILLS} SIGKILLs`);
  } finally {
    await server.dispose();
  }
});

test('SIGKILL under write load loses no acknowledged write (PostgreSQL)', { skip: !process.env.TEST_DATABASE_URL }, async () => {
  const base = process.env.TEST_DATABASE_URL;
  const name = `durability_${process.pid}_${Date.now()}`;
  const admin = (sql) => spawnSync('psql', [base, '-tAc', sql], { encoding: 'utf8' });
  const made = admin(`CREATE DATABASE ${name}`);
  assert.equal(made.status, 0, made.stderr);
  const server = new TestServer();
  const url = new URL(base);
  url.pathname = `/${name}`;
  server.env.DATABASE_URL = url.toString();
  server.postgres = true;
  try {
    const checked = await killUnderLoad(server);
    console.log(`durability (PostgreSQL): ${checked} acknowledged writes checked after ${KILLS} SIGKILLs`);
  } finally {
    await server.dispose();
    admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
});
