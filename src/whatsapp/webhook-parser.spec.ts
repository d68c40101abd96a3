import type { InboundMessageEvent } from './inbound-event';
import { parseWebhook } from './webhook-parser';

/**
 * Real payload shapes (Meta's references; public fixtures for BSUIDs, edits and system notices).
 * One change of field "messages" per test, around the given value.
 */
function delivery(value: Record<string, unknown>, field = 'messages'): unknown {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
              ...value,
            },
            field,
          },
        ],
      },
    ],
  };
}

const messages = (body: unknown) =>
  parseWebhook(body).events.filter((e): e is InboundMessageEvent => e.kind === 'message');

describe('parseWebhook: what Meta really sends', () => {
  it('a text with phone and business-scoped user id', () => {
    const [m] = messages(
      delivery({
        contacts: [
          {
            profile: { name: 'Krish Thakur' },
            wa_id: '919810218674',
            user_id: 'IN.1410018717833190',
            country_code: 'IN',
          },
        ],
        messages: [
          {
            from: '919810218674',
            from_user_id: 'IN.1410018717833190',
            id: 'wamid.HBgMOTE5ODEwMjE4Njc0FQIAEhggQUM4Q0I2MzlGQzA0NDhFOUIwOTJGMjVERTZCRDY3MTMA',
            timestamp: '1779372805',
            text: { body: 'Hey' },
            from_logical_id: '95000398405635',
            type: 'text',
          },
        ],
      }),
    );
    expect(m).toMatchObject({
      from: '919810218674',
      fromUserId: 'IN.1410018717833190',
      contactName: 'Krish Thakur',
      text: 'Hey',
      refWamid: null,
    });
  });

  it('a message with from_user_id and no from (a username user) is stored, not malformed', () => {
    const outcome = parseWebhook(
      delivery({
        contacts: [
          { profile: { name: 'Lupita', username: '@lupita' }, user_id: 'MX.1502576394655843' },
        ],
        messages: [
          {
            from_user_id: 'MX.1502576394655843',
            id: 'wamid.BSUIDONLY',
            timestamp: '1779372805',
            type: 'text',
            text: { body: '¿cuánto vendí hoy?' },
          },
        ],
      }),
    );
    expect(outcome.skipped).toEqual([]);
    expect(outcome.events[0]).toMatchObject({
      from: null,
      fromUserId: 'MX.1502576394655843',
      contactName: 'Lupita',
    });
  });

  it('a message with neither from nor from_user_id is malformed', () => {
    const outcome = parseWebhook(
      delivery({
        messages: [{ id: 'wamid.X', timestamp: '1779372805', type: 'text', text: { body: 'x' } }],
      }),
    );
    expect(outcome.events).toEqual([]);
    expect(outcome.skipped).toEqual([{ reason: 'malformed_message', count: 1 }]);
  });

  it('a reaction and a removed reaction name the message they are about', () => {
    const [added, removed] = messages(
      delivery({
        messages: [
          {
            from: '5215512345678',
            id: 'wamid.R1',
            timestamp: '1779372805',
            type: 'reaction',
            reaction: { message_id: 'wamid.ORIGINAL', emoji: '❤️' },
          },
          {
            from: '5215512345678',
            id: 'wamid.R2',
            timestamp: '1779372806',
            type: 'reaction',
            reaction: { message_id: 'wamid.ORIGINAL' },
          },
        ],
      }),
    );
    expect(added).toMatchObject({ type: 'reaction', text: '❤️', refWamid: 'wamid.ORIGINAL' });
    expect(removed).toMatchObject({ type: 'reaction', text: null, refWamid: 'wamid.ORIGINAL' });
  });

  it('an edit carries the new text; a revoke names what was deleted', () => {
    const [edit, revoke] = messages(
      delivery({
        messages: [
          {
            from: '5215512345678',
            id: 'wamid.E',
            timestamp: '1749854575',
            type: 'edit',
            edit: {
              original_message_id: 'wamid.O',
              message: { type: 'text', text: { body: '¿cuánto vendí ayer?' } },
            },
          },
          {
            from: '5215512345678',
            id: 'wamid.D',
            timestamp: '1749854576',
            type: 'revoke',
            revoke: { original_message_id: 'wamid.O2' },
          },
        ],
      }),
    );
    expect(edit).toMatchObject({ type: 'edit', text: '¿cuánto vendí ayer?', refWamid: 'wamid.O' });
    expect(revoke).toMatchObject({ type: 'revoke', text: null, refWamid: 'wamid.O2' });
  });

  it('a number-change system notice (no contacts array)', () => {
    const [m] = messages(
      delivery({
        messages: [
          {
            from: '5215512345678',
            id: 'wamid.SYS',
            timestamp: '1779372805',
            type: 'system',
            system: {
              body: 'User Lupita changed from 5215512345678 to 5215587654321',
              wa_id: '5215587654321',
              type: 'user_changed_number',
            },
          },
        ],
      }),
    );
    expect(m).toMatchObject({ type: 'system', from: '5215512345678', contactName: null });
    expect((m.payload.system as { wa_id: string }).wa_id).toBe('5215587654321');
  });

  it('statuses addressed by BSUID keep the recipient', () => {
    const [st] = parseWebhook(
      delivery({
        statuses: [
          {
            id: 'wamid.OUT',
            status: 'delivered',
            timestamp: '1750857384',
            recipient_user_id: 'MX.1502576394655843',
          },
        ],
      }),
    ).events;
    expect(st).toMatchObject({ kind: 'status', recipientId: 'MX.1502576394655843' });
  });

  it.each([
    [
      'smb_message_echoes',
      {
        message_echoes: [
          {
            from: '15550783881',
            to: '5215512345678',
            id: 'wamid.ECHO',
            timestamp: '1',
            type: 'text',
            text: { body: 'hola' },
          },
        ],
      },
    ],
    ['account_update', { event: 'VERIFIED_ACCOUNT' }],
    ['message_template_status_update', { event: 'APPROVED', message_template_id: 1 }],
  ])('%s: counted and skipped, never a message to answer', (field, value) => {
    const outcome = parseWebhook(delivery(value, field));
    expect(outcome.events).toEqual([]);
    expect(outcome.skipped).toEqual([{ reason: 'unsubscribed_field', count: 1 }]);
    expect(outcome.ignoredFields).toEqual([field]);
  });
});
