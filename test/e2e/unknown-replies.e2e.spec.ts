import { sellPackage } from '../../dev/support/admin';
import { isolatedDatabase } from '../../dev/support/database';
import { eventually } from '../../dev/support/app-harness';
import { useAppWithFakes } from '../../dev/support/app-with-fakes';
import { createTenant, type TestTenant } from '../../dev/support/tenants';
import {
  envelope,
  newWamid,
  postWebhook,
  statusUpdate,
  textMessage,
} from '../../dev/support/webhook';
import { UnknownRepliesService } from '../../src/assistant/services/unknown-replies.service';

/**
 * A worker that dies during the Graph send leaves its reply 'unknown' and the message
 * 'processed'. The state a crash leaves is set by SQL on a reply the app prepared (the row
 * 'unknown', its wamid never stored); the resolver then either finds a status webhook for it
 * (done, no re-send) or re-sends it once, even with two passes racing for it.
 */
describe('unknown replies (e2e: a crash mid-send is resolved, never sent twice)', () => {
  let resolver: UnknownRepliesService;
  let database: Awaited<ReturnType<typeof isolatedDatabase>>;

  beforeAll(async () => {
    // Its replies are made to look ten minutes old: other suites' apps would resolve them too.
    database = await isolatedDatabase('unknown_replies');
  });
  const { graph, t } = useAppWithFakes(() => ({
    ...database.env,
    UNKNOWN_REPLY_RESEND_AFTER_SECONDS: '60',
    // The test runs the passes itself.
    UNKNOWN_REPLY_CHECK_INTERVAL_MS: '3600000',
  }));
  beforeAll(() => {
    resolver = t.app.get(UnknownRepliesService);
  });
  // After the app has closed (hooks run in the order they were registered).
  afterAll(() => database?.drop());

  /** A question answered and sent; then the row put back as a crash mid-send leaves it. */
  async function crashedReply(shop: TestTenant): Promise<{ id: string; wamid: string }> {
    const wamid = newWamid();
    const res = await postWebhook(
      t.url,
      envelope(
        { messages: [textMessage({ from: shop.ownerWaId, text: 'hola', wamid })] },
        shop.phoneNumberId,
      ),
    );
    expect(res.status).toBe(200);
    const row = await eventually(
      async () => {
        const [r] = (await t.db.query(
          `SELECT id::text AS id, wamid FROM outbound_messages
            WHERE inbound_wamid = $1 AND purpose = 'reply' AND status = 'sent'`,
          [wamid],
        )) as { id: string; wamid: string }[];
        return r;
      },
      30_000,
      'the reply sent',
    );
    await t.db.query(
      `UPDATE outbound_messages SET status = 'unknown', wamid = NULL, sent_at = NULL,
              updated_at = now() - interval '10 minutes'
        WHERE id = $1`,
      [row.id],
    );
    return row;
  }

  const rowOf = async (id: string) =>
    (
      (await t.db.query(
        `SELECT status, wamid, resend_claimed_at FROM outbound_messages WHERE id = $1`,
        [id],
      )) as { status: string; wamid: string | null; resend_claimed_at: Date | null }[]
    )[0];

  it('re-sends a reply Meta never got exactly once, even with two passes racing', async () => {
    const shop = await createTenant(t.db);
    await sellPackage(t, shop.id, 'pro');
    const row = await crashedReply(shop);
    // Meta never got it: nothing for this owner at the fake.
    graph.reset();

    const [a, b] = await Promise.all([resolver.resolveOnce(), resolver.resolveOnce()]);
    expect(a + b).toBe(1);
    expect(await resolver.resolveOnce()).toBe(0);
    const toOwner = graph.sent.filter((s) => s.to === shop.ownerWaId);
    expect(toOwner).toHaveLength(1);
    expect(await rowOf(row.id)).toMatchObject({ status: 'sent', wamid: toOwner[0].wamid });
    const [inbound] = (await t.db.query(
      `SELECT status FROM inbound_messages WHERE wamid = (SELECT inbound_wamid FROM outbound_messages WHERE id = $1)`,
      [row.id],
    )) as { status: string }[];
    expect(inbound.status).toBe('processed');

    // Left 'unknown' again (a status webhook never came, or the re-send crashed): never a third.
    await t.db.query(
      `UPDATE outbound_messages SET status = 'unknown', updated_at = now() - interval '10 minutes'
        WHERE id = $1`,
      [row.id],
    );
    expect(await resolver.resolveOnce()).toBe(0);
    expect(graph.sent.filter((s) => s.to === shop.ownerWaId)).toHaveLength(1);
  });

  it('takes a status webhook for the reply as delivered: no re-send', async () => {
    const shop = await createTenant(t.db);
    await sellPackage(t, shop.id, 'pro');
    const row = await crashedReply(shop);
    // Meta did get it (the fake holds it) and reports it, with the callback data we sent.
    const sent = graph.sent.filter((s) => s.to === shop.ownerWaId);
    expect(sent).toHaveLength(1);
    const callback = sent[0].body.biz_opaque_callback_data;
    expect(callback).toBe(`outbound:${row.id}`);
    const status = {
      ...statusUpdate(sent[0].wamid, 'delivered', shop.ownerWaId),
      biz_opaque_callback_data: callback,
    };
    expect(
      (await postWebhook(t.url, envelope({ statuses: [status] }, shop.phoneNumberId))).status,
    ).toBe(200);
    await eventually(
      async () => (await rowOf(row.id)).status === 'delivered',
      15_000,
      'the status applied',
    );

    expect(await resolver.resolveOnce()).toBe(0);
    expect(graph.sent.filter((s) => s.to === shop.ownerWaId)).toHaveLength(1);
    expect(await rowOf(row.id)).toMatchObject({
      status: 'delivered',
      wamid: sent[0].wamid,
      resend_claimed_at: null,
    });
  });
});
