import { buildSendBody, buildTemplateBody } from './graph-api.client';
import { graphemes } from './text-limits';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('buildSendBody', () => {
  it('addresses the phone when there is one, the BSUID otherwise', () => {
    const text = { type: 'text' as const, body: 'hola' };
    expect(buildSendBody({ waId: '5215512345678', userId: 'MX.1' }, text)).toMatchObject({
      to: '5215512345678',
    });
    const byId = buildSendBody({ waId: null, userId: 'MX.1502576394655843' }, text);
    expect(byId).toMatchObject({ recipient: 'MX.1502576394655843' });
    expect(byId).not.toHaveProperty('to');
  });

  it('trims every title, row and button by user-perceived characters', () => {
    const long = '🇲🇽👨‍👩‍👧‍👦 Paquete Empresarial de temporada navideña 🎄🎁';
    const body = buildSendBody(
      { waId: '5215512345678', userId: null },
      {
        type: 'list',
        body: 'Elige',
        buttonText: `${long} ver`,
        footer: long.repeat(3),
        sections: [
          { title: long, rows: [{ id: 'pkg:x', title: long, description: long.repeat(3) }] },
        ],
      },
    ) as {
      interactive: {
        footer: { text: string };
        action: {
          button: string;
          sections: { title: string; rows: { title: string; description: string }[] }[];
        };
      };
    };
    const { action, footer } = body.interactive;
    const fields: [string, number][] = [
      [action.button, 20],
      [action.sections[0].title, 24],
      [action.sections[0].rows[0].title, 24],
      [action.sections[0].rows[0].description, 72],
      [footer.text, 60],
    ];
    for (const [value, max] of fields) {
      expect(graphemes(value).length).toBeLessThanOrEqual(max);
      expect(LONE_SURROGATE.test(value)).toBe(false);
      expect(value.startsWith('🇲🇽👨‍👩‍👧‍👦')).toBe(true);
    }
    const buttons = buildSendBody(
      { waId: '5215512345678', userId: null },
      {
        type: 'buttons',
        body: 'x',
        buttons: [{ id: 'a', title: '👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽' }],
      },
    ) as { interactive: { action: { buttons: { reply: { title: string } }[] } } };
    const title = buttons.interactive.action.buttons[0].reply.title;
    expect(graphemes(title)).toHaveLength(20);
    expect(LONE_SURROGATE.test(title)).toBe(false);
  });
});

describe('buildTemplateBody', () => {
  it('is a template message with one body component of text parameters, each on one line', () => {
    expect(
      buildTemplateBody(
        { waId: '5215512345678', userId: null },
        {
          name: 'cierre_del_dia',
          language: 'es_MX',
          bodyParameters: ['a\nb', '  x\t  y     z ', ''],
        },
      ),
    ).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '5215512345678',
      type: 'template',
      template: {
        name: 'cierre_del_dia',
        language: { code: 'es_MX' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'a b' },
              { type: 'text', text: 'x y z' },
              { type: 'text', text: '-' },
            ],
          },
        ],
      },
    });
  });
});
