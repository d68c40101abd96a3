import { systemPrompt } from '../prompts';
import { dataLine } from '../prefetch';
import { responseCacheKey, type ResponseCacheKeyInput } from './response-cache-key';

describe('responseCacheKey', () => {
  const tz = 'America/Mexico_City';
  const at = (iso: string, data = '{"totalCents":9400}') =>
    `${systemPrompt('ventas', 'Abarrotes Lupita', new Date(iso), tz)}\n${dataLine('get_sales_summary', { period: 'hoy' }, data)}`;
  const input = (over: Partial<ResponseCacheKeyInput> = {}): ResponseCacheKeyInput => ({
    tenantId: 't1',
    models: ['anthropic/claude-3-haiku', 'openai/gpt-3.5-turbo'],
    messages: [
      { role: 'system', content: at('2026-12-02T19:01:00Z') },
      { role: 'user', content: '¿Cuánto vendí hoy?' },
    ],
    tools: [],
    normalizedQuestion: 'cuanto vendi hoy',
    grounded: true,
    ...over,
  });

  it('is the same a few minutes later, for the question however it was written', () => {
    const later = input({
      messages: [
        { role: 'system', content: at('2026-12-02T19:09:00Z') },
        { role: 'user', content: 'cuanto vendi hoy' },
      ],
    });
    expect(responseCacheKey(later)).toBe(responseCacheKey(input()));
  });

  it('ignores the history of a grounded question, not of one without data', () => {
    const history = [
      { role: 'user' as const, content: 'hola' },
      { role: 'assistant' as const, content: '¡Hola!' },
    ];
    const base = input();
    const withHistory = input({ messages: [base.messages[0], ...history, base.messages[1]] });
    expect(responseCacheKey(withHistory)).toBe(responseCacheKey(base));
    expect(responseCacheKey({ ...withHistory, grounded: false })).not.toBe(
      responseCacheKey({ ...base, grounded: false }),
    );
  });

  it('changes with the data, the day, the shop, the models and the tools', () => {
    const key = responseCacheKey(input());
    const other = (over: Partial<ResponseCacheKeyInput>) => responseCacheKey(input(over));
    const msg = (content: string) => [
      { role: 'system' as const, content },
      { role: 'user' as const, content: 'x' },
    ];
    expect(other({ messages: msg(at('2026-12-02T19:01:00Z', '{"totalCents":9401}')) })).not.toBe(
      key,
    );
    expect(other({ messages: msg(at('2026-12-03T19:01:00Z')) })).not.toBe(key);
    expect(other({ tenantId: 't2' })).not.toBe(key);
    expect(other({ models: ['openai/gpt-3.5-turbo'] })).not.toBe(key);
    expect(
      other({
        tools: [{ type: 'function', function: { name: 'get_stock', parameters: {} } }],
      }),
    ).not.toBe(key);
    expect(other({ normalizedQuestion: 'cuanto vendi ayer' })).not.toBe(key);
  });
});
