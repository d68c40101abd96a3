import { formatMoney } from '../../src/common/money';
import type { RecordedRequest } from '../../dev/fakes/fake-openrouter';
import { sellPackage } from '../../dev/support/admin';
import { api } from '../../dev/support/admin-api';
import { eventually } from '../../dev/support/app-harness';
import { useAppWithFakes } from '../../dev/support/app-with-fakes';
import { createTenant, type TestTenant } from '../../dev/support/tenants';
import {
  envelope,
  newPhoneNumberId,
  newWaId,
  newWamid,
  postWebhook,
  textMessage,
} from '../../dev/support/webhook';
import { addProduct, addSale } from '../support/store';

const DAY_MS = 24 * 60 * 60 * 1000;
const now = () => String(Math.floor(Date.now() / 1000));

/**
 * The shapes of real WhatsApp traffic, end to end through the signed webhook: which shop a
 * message is for, who may talk for it, numbers in Meta's formats, business-scoped user ids,
 * reactions, edits, deletes, notices, and the size limits of what goes back.
 */
describe('real WhatsApp traffic (e2e: signed webhook → worker → fake Graph API)', () => {
  const { graph, llm, t } = useAppWithFakes({
    LLM_TIMEOUT_MS: '2000',
    // Room for an answer longer than one WhatsApp message (≈ 4 characters a token).
    LLM_MAX_TOKENS: '3000',
  });

  interface Shop extends TestTenant {
    todayCents: number;
    yesterdayCents: number;
  }

  async function openShop(options: { ownerWaId?: string } = {}): Promise<Shop> {
    const shop = await createTenant(t.db, options);
    await sellPackage(t, shop.id, 'pro');
    const coca = await addProduct(t.db, shop.id, {
      name: 'Coca-Cola 600 ml',
      aliases: ['coca'],
      priceCents: 1850,
      costCents: 1300,
    });
    const todayCents = await addSale(t.db, shop.id, coca, 3, new Date(Date.now() - 5_000));
    const yesterdayCents = await addSale(t.db, shop.id, coca, 7, new Date(Date.now() - DAY_MS));
    return { ...shop, todayCents, yesterdayCents };
  }

  const post = (phoneNumberId: string, messages: Record<string, unknown>[], contacts?: unknown[]) =>
    postWebhook(t.url, envelope({ messages, contacts }, phoneNumberId));

  const inbound = async (wamid: string) =>
    (
      (await t.db.query(`SELECT * FROM inbound_messages WHERE wamid = $1`, [wamid])) as Record<
        string,
        unknown
      >[]
    )[0];

  /** Waits until the worker is done with a message, however it ended. */
  const settled = (wamid: string) =>
    eventually(
      async () => {
        const row = await inbound(wamid);
        return row && ['processed', 'ignored', 'failed'].includes(row.status as string) && row;
      },
      15_000,
      `the worker to finish ${wamid}`,
    );

  const outboundOf = (wamid: string) =>
    t.db.query(`SELECT * FROM outbound_messages WHERE inbound_wamid = $1 ORDER BY id`, [
      wamid,
    ]) as Promise<Record<string, unknown>[]>;

  const replyTo = (wamid: string) =>
    eventually(
      async () => {
        const [row] = await outboundOf(wamid);
        return row?.wamid ? graph.sent.find((s) => s.wamid === row.wamid) : undefined;
      },
      15_000,
      `the reply to ${wamid}`,
    );

  const systemOf = (r: RecordedRequest) =>
    String(r.body?.messages?.find((m) => m.role === 'system')?.content ?? '');
  const llmCallsFor = (shop: TestTenant) =>
    llm.chatRequests().filter((r) => systemOf(r).includes(shop.name));

  /** Stored, finished as ignored for `reason`, nothing sent, no LLM, no tokens. */
  async function expectRecordedOnly(wamid: string, shop: TestTenant, reason: string) {
    expect(await settled(wamid)).toMatchObject({ status: 'ignored', ignore_reason: reason });
    expect(await outboundOf(wamid)).toEqual([]);
    const usage = await t.db.query(`SELECT 1 FROM token_usage WHERE inbound_wamid = $1`, [wamid]);
    expect(usage).toEqual([]);
    expect(llmCallsFor(shop)).toHaveLength(0);
  }

  describe('which shop, and who may talk for it', () => {
    it('finds the shop by the business number and replies from that number', async () => {
      const shop = await openShop();
      const wamid = newWamid();
      await post(shop.phoneNumberId, [textMessage({ from: shop.ownerWaId, text: 'hola', wamid })]);
      const sent = await replyTo(wamid);
      expect(sent.phoneNumberId).toBe(shop.phoneNumberId);
      expect(sent.to).toBe(shop.ownerWaId);
      expect(await inbound(wamid)).toMatchObject({ tenant_id: shop.id, status: 'processed' });
    });

    it('stores, and does not answer, a message to a business number of no shop', async () => {
      const shop = await openShop();
      const wamid = newWamid();
      await post(newPhoneNumberId(), [
        textMessage({ from: shop.ownerWaId, text: '¿cuánto vendí hoy?', wamid }),
      ]);
      await expectRecordedOnly(wamid, shop, 'unknown_channel');
      expect((await inbound(wamid)).tenant_id).toBeNull();
    });

    it("does not answer one shop's owner writing to another shop's number", async () => {
      const mine = await openShop();
      const theirs = await openShop();
      const wamid = newWamid();
      await post(theirs.phoneNumberId, [
        textMessage({ from: mine.ownerWaId, text: '¿cuánto vendí hoy?', wamid }),
      ]);
      await expectRecordedOnly(wamid, theirs, 'unknown_sender');
      expect(llmCallsFor(mine)).toHaveLength(0);
      expect((await inbound(wamid)).tenant_id).toBe(theirs.id);
    });
  });

  describe('phone numbers (E.164, libphonenumber-js)', () => {
    async function register(ownerNumber: string) {
      const phoneNumberId = newPhoneNumberId();
      const res = await api(t, 'POST', '/admin/tenants', {
        body: { name: `Tienda ${phoneNumberId}`, ownerWaId: ownerNumber, phoneNumberId },
      });
      expect(res.status).toBe(201);
      return { id: res.body.id as string, phoneNumberId, body: res.body };
    }

    it('an owner registered as +52 55… is recognized when Meta sends 521 55…, and the other way round', async () => {
      const digits = newWaId().slice(5); // 8 random digits after 521 55
      const a = await register(`+52 55 ${digits.slice(0, 4)} ${digits.slice(4)}`);
      expect(a.body.users).toEqual([expect.objectContaining({ waId: `+5255${digits}` })]);
      const fromA = newWamid();
      await post(a.phoneNumberId, [
        textMessage({ from: `52155${digits}`, text: 'hola', wamid: fromA }),
      ]);
      expect((await replyTo(fromA)).to).toBe(`52155${digits}`);

      const other = newWaId().slice(5);
      const b = await register(`+52 1 55 ${other}`);
      expect(b.body.users).toEqual([expect.objectContaining({ waId: `+5255${other}` })]);
      const fromB = newWamid();
      await post(b.phoneNumberId, [
        textMessage({ from: `5255${other}`, text: 'hola', wamid: fromB }),
      ]);
      expect((await replyTo(fromB)).to).toBe(`5255${other}`);

      // One number, one shop: the other spelling of a registered number is the same number.
      const again = await api(t, 'POST', '/admin/tenants', {
        body: { name: 'Otra', ownerWaId: `521 55 ${digits}` },
      });
      expect(again.status).toBe(409);
    });

    it('the admin API rejects what is not a phone number (400 naming the field)', async () => {
      for (const ownerWaId of ['hola', '+52 55', '12345', '+999 1234 5678']) {
        const res = await api(t, 'POST', '/admin/tenants', { body: { name: 'X', ownerWaId } });
        expect(res.status).toBe(400);
        expect(JSON.stringify(res.body)).toContain('ownerWaId');
      }
    });
  });

  describe('a number change reported by WhatsApp', () => {
    it('moves the owner to the new number (audited): the new number is answered, the old one no longer', async () => {
      const shop = await openShop();
      const newNumber = newWaId();
      const notice = newWamid();
      await post(shop.phoneNumberId, [
        {
          from: shop.ownerWaId,
          id: notice,
          timestamp: now(),
          type: 'system',
          system: {
            body: `User Lupita changed from ${shop.ownerWaId} to ${newNumber}`,
            wa_id: newNumber,
            type: 'user_changed_number',
          },
        },
      ]);
      await expectRecordedOnly(notice, shop, 'no_reply_needed');
      const [owner] = (await t.db.query(`SELECT id, wa_id FROM tenant_users WHERE tenant_id = $1`, [
        shop.id,
      ])) as { id: string; wa_id: string }[];
      expect(owner.wa_id).toBe(`+52${newNumber.slice(3)}`);
      const audit = await t.db.query(
        `SELECT field, old_value, new_value, source, inbound_wamid FROM tenant_user_changes
          WHERE tenant_user_id = $1 ORDER BY id`,
        [owner.id],
      );
      expect(audit).toEqual([
        {
          field: 'wa_id',
          old_value: shop.ownerPhone,
          new_value: `+52${newNumber.slice(3)}`,
          source: 'whatsapp',
          inbound_wamid: notice,
        },
      ]);

      const fromNew = newWamid();
      await post(shop.phoneNumberId, [
        textMessage({ from: newNumber, text: '¿cuánto vendí hoy?', wamid: fromNew }),
      ]);
      expect((await replyTo(fromNew)).text).toContain(formatMoney(shop.todayCents));
      const fromOld = newWamid();
      await post(shop.phoneNumberId, [
        textMessage({ from: shop.ownerWaId, text: 'hola', wamid: fromOld }),
      ]);
      expect(await settled(fromOld)).toMatchObject({ ignore_reason: 'unknown_sender' });

      // The notice again (a second notice of the same change): nothing moves twice, nothing is
      // audited twice.
      const again = newWamid();
      await post(shop.phoneNumberId, [
        {
          from: shop.ownerWaId,
          id: again,
          timestamp: now(),
          type: 'system',
          system: { body: 'again', wa_id: newNumber, type: 'user_changed_number' },
        },
      ]);
      expect(await settled(again)).toMatchObject({ status: 'ignored' });
      expect(await outboundOf(again)).toEqual([]);
      expect(
        await t.db.query(`SELECT 1 FROM tenant_user_changes WHERE tenant_user_id = $1`, [owner.id]),
      ).toHaveLength(1);
    });
  });

  describe("business-scoped user ids (Meta's BSUID)", () => {
    it('learns the owner BSUID, then answers a message without a phone, addressed by recipient id', async () => {
      const shop = await openShop();
      const bsuid = `MX.${Date.now()}${Math.floor(Math.random() * 1e6)}`;
      const first = newWamid();
      await post(
        shop.phoneNumberId,
        [
          {
            ...textMessage({ from: shop.ownerWaId, text: 'hola', wamid: first }),
            from_user_id: bsuid,
          },
        ],
        [{ profile: { name: 'Lupita' }, wa_id: shop.ownerWaId, user_id: bsuid }],
      );
      await replyTo(first);
      const [owner] = (await t.db.query(`SELECT user_id FROM tenant_users WHERE tenant_id = $1`, [
        shop.id,
      ])) as { user_id: string }[];
      expect(owner.user_id).toBe(bsuid);

      const hidden = newWamid();
      await post(
        shop.phoneNumberId,
        [
          {
            from_user_id: bsuid,
            id: hidden,
            timestamp: now(),
            type: 'text',
            text: { body: '¿cuánto vendí hoy?' },
          },
        ],
        [{ profile: { name: 'Lupita', username: '@lupita' }, user_id: bsuid }],
      );
      const sent = await replyTo(hidden);
      expect(sent).toMatchObject({ to: '', recipient: bsuid });
      expect(sent.body).not.toHaveProperty('to');
      expect(sent.text).toContain(formatMoney(shop.todayCents));
      expect(await inbound(hidden)).toMatchObject({ from_wa_id: null, from_user_id: bsuid });
    });

    it('stores, and does not answer, a BSUID no shop user is known by', async () => {
      const shop = await openShop();
      const wamid = newWamid();
      await post(shop.phoneNumberId, [
        {
          from_user_id: 'MX.999999999999',
          id: wamid,
          timestamp: now(),
          type: 'text',
          text: { body: 'hola' },
        },
      ]);
      await expectRecordedOnly(wamid, shop, 'unknown_sender');
    });
  });

  describe('messages that are not questions: no LLM, no tokens, no "solo entiendo texto"', () => {
    it.each([
      ['a reaction', { type: 'reaction', reaction: { message_id: 'wamid.ANY', emoji: '❤️' } }],
      ['a 👍 reaction', { type: 'reaction', reaction: { message_id: 'wamid.ANY', emoji: '👍' } }],
      [
        'a removed reaction',
        { type: 'reaction', reaction: { message_id: 'wamid.ANY', emoji: '' } },
      ],
      ['a delete', { type: 'revoke', revoke: { original_message_id: 'wamid.ANY' } }],
      [
        'an edit of an unknown message',
        {
          type: 'edit',
          edit: {
            original_message_id: 'wamid.NONE',
            message: { type: 'text', text: { body: '¿cuánto vendí?' } },
          },
        },
      ],
      [
        'an identity notice',
        {
          type: 'system',
          system: { body: 'Security code changed', type: 'customer_identity_changed' },
        },
      ],
      [
        'an edit Cloud API could not deliver',
        { type: 'unsupported', unsupported: { type: 'edit' } },
      ],
    ])('%s is recorded only', async (_what, body) => {
      const shop = await openShop();
      const wamid = newWamid();
      await post(shop.phoneNumberId, [
        { from: shop.ownerWaId, id: wamid, timestamp: now(), ...body },
      ]);
      await expectRecordedOnly(wamid, shop, 'no_reply_needed');
    });

    it('statuses, echoes, account and template updates are not messages (nothing stored, nothing sent)', async () => {
      const shop = await openShop();
      const wrap = (field: string, value: Record<string, unknown>) => ({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '1',
            changes: [
              {
                field,
                value: {
                  messaging_product: 'whatsapp',
                  metadata: {
                    display_phone_number: '15550783881',
                    phone_number_id: shop.phoneNumberId,
                  },
                  ...value,
                },
              },
            ],
          },
        ],
      });
      const echo = newWamid();
      const bodies = [
        wrap('messages', {
          statuses: [
            { id: newWamid(), status: 'delivered', timestamp: now(), recipient_id: shop.ownerWaId },
          ],
        }),
        wrap('smb_message_echoes', {
          message_echoes: [
            {
              from: '15550783881',
              to: shop.ownerWaId,
              id: echo,
              timestamp: now(),
              type: 'text',
              text: { body: '¿cuánto vendí hoy?' },
            },
          ],
        }),
        wrap('account_update', { event: 'VERIFIED_ACCOUNT' }),
        wrap('message_template_status_update', { event: 'APPROVED', message_template_id: 7 }),
      ];
      for (const body of bodies) expect((await postWebhook(t.url, body)).status).toBe(200);
      expect(await inbound(echo)).toBeUndefined();
      expect(llmCallsFor(shop)).toHaveLength(0);
      const metrics = await (await fetch(`${t.url}/metrics`)).text();
      expect(metrics).toMatch(/webhook_skipped_items_total\{reason="unsubscribed_field"\} [1-9]/);
    });
  });

  describe('edits and deletes of a question', () => {
    it('answers a question edited before it was answered once, with the new text', async () => {
      const shop = await openShop();
      const original = newWamid();
      const edit = newWamid();
      const ts = Number(now());
      // Meta delivers the edit with the original (or right after it): the worker gets to the
      // original with the edit already stored.
      await post(shop.phoneNumberId, [
        textMessage({
          from: shop.ownerWaId,
          text: '¿cuánto vendí hoy?',
          wamid: original,
          timestamp: ts,
        }),
        {
          from: shop.ownerWaId,
          id: edit,
          timestamp: String(ts + 1),
          type: 'edit',
          edit: {
            original_message_id: original,
            message: { type: 'text', text: { body: '¿cuánto vendí ayer?' } },
          },
        },
      ]);
      const [a, b] = [await settled(original), await settled(edit)];
      const answered = [a, b].filter((r) => r.status === 'processed');
      expect(answered).toHaveLength(1);
      const reply = await replyTo(answered[0].wamid as string);
      expect(reply.text).toContain(formatMoney(shop.yesterdayCents));
      expect(reply.text).not.toContain(formatMoney(shop.todayCents));
      const replies = [...(await outboundOf(original)), ...(await outboundOf(edit))];
      expect(replies).toHaveLength(1);
    });

    it('only records the edit of a question already answered', async () => {
      const shop = await openShop();
      const original = newWamid();
      await post(shop.phoneNumberId, [
        textMessage({ from: shop.ownerWaId, text: '¿cuánto vendí hoy?', wamid: original }),
      ]);
      await replyTo(original);
      const calls = llmCallsFor(shop).length;
      const edit = newWamid();
      await post(shop.phoneNumberId, [
        {
          from: shop.ownerWaId,
          id: edit,
          timestamp: now(),
          type: 'edit',
          edit: {
            original_message_id: original,
            message: { type: 'text', text: { body: '¿y ayer?' } },
          },
        },
      ]);
      expect(await settled(edit)).toMatchObject({
        status: 'ignored',
        ignore_reason: 'no_reply_needed',
      });
      expect(await outboundOf(edit)).toEqual([]);
      expect(llmCallsFor(shop)).toHaveLength(calls);
    });

    it('does not answer a question deleted before it was answered', async () => {
      const shop = await openShop();
      const original = newWamid();
      const del = newWamid();
      const ts = Number(now());
      await post(shop.phoneNumberId, [
        textMessage({
          from: shop.ownerWaId,
          text: '¿cuánto vendí hoy?',
          wamid: original,
          timestamp: ts,
        }),
        {
          from: shop.ownerWaId,
          id: del,
          timestamp: String(ts + 1),
          type: 'revoke',
          revoke: { original_message_id: original },
        },
      ]);
      expect(await settled(original)).toMatchObject({
        status: 'ignored',
        ignore_reason: 'revoked',
      });
      await expectRecordedOnly(del, shop, 'no_reply_needed');
    });
  });

  describe('size limits', () => {
    it('sends an answer longer than 4,096 characters in parts, in order, nothing lost', async () => {
      const shop = await openShop();
      const line = 'Coca-Cola 600 ml: te quedan 48 piezas y vendiste 12 hoy por $222.00. ';
      const long = Array.from({ length: 130 }, (_, i) => `${i + 1}. ${line}`).join('\n');
      expect(long.length).toBeGreaterThan(8_192);
      llm.on((r) => systemOf(r).includes(shop.name), { content: long }, { times: 1 });
      const wamid = newWamid();
      await post(shop.phoneNumberId, [
        textMessage({ from: shop.ownerWaId, text: '¿cuánto vendí hoy?', wamid }),
      ]);
      const rows = await eventually(async () => {
        const all = await outboundOf(wamid);
        return all.length >= 3 && all.every((r) => r.wamid) && all;
      });
      expect(rows.map((r) => r.purpose)).toEqual(['reply', 'reply-2', 'reply-3']);
      const parts = rows.map((r) => graph.sent.find((s) => s.wamid === r.wamid)!.text);
      for (const p of parts) expect(p.length).toBeLessThanOrEqual(4_096);
      const words = (x: string) => x.split(/\s+/).filter(Boolean);
      expect(words(parts.join('\n'))).toEqual(words(long));
    });

    it('cuts an inbound text over INBOUND_TEXT_MAX_CHARS before the LLM, and says so', async () => {
      const shop = await openShop();
      const text = `¿cuánto vendí hoy? ${'Te cuento que hoy estuvo muy movido el día. '.repeat(80)}`;
      expect(text.length).toBeGreaterThan(3_000);
      const wamid = newWamid();
      await post(shop.phoneNumberId, [textMessage({ from: shop.ownerWaId, text, wamid })]);
      const sent = await replyTo(wamid);
      expect(sent.text).toMatch(/muy largo: solo leí los primeros 1,000 caracteres/);
      const [call] = llmCallsFor(shop);
      const user = call.body?.messages?.filter((m) => m.role === 'user').at(-1);
      expect(String(user?.content).length).toBeLessThanOrEqual(1_000);
      expect(String(user?.content).startsWith('¿cuánto vendí hoy?')).toBe(true);
    });
  });
});
