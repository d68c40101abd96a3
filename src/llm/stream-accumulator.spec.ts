import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { LlmError } from './llm-error';
import { StreamAccumulator } from './stream-accumulator';

function chunk(
  delta: ChatCompletionChunk.Choice.Delta,
  finish: ChatCompletionChunk.Choice['finish_reason'] = null,
): ChatCompletionChunk {
  return {
    id: 'gen-1',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'm/x',
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}

describe('StreamAccumulator', () => {
  it('keeps a name that some providers repeat on every piece', () => {
    const acc = new StreamAccumulator();
    acc.add(
      chunk({
        tool_calls: [{ index: 0, id: 'c1', function: { name: 'get_price', arguments: '{"pro' } }],
      }),
    );
    acc.add(
      chunk({
        tool_calls: [{ index: 0, function: { name: 'get_price', arguments: 'duct":"pan"}' } }],
      }),
    );
    acc.add(chunk({}, 'tool_calls'));
    expect(acc.finish().toolCalls).toEqual([
      { id: 'c1', name: 'get_price', arguments: '{"product":"pan"}' },
    ]);
  });

  it('a stream that ends without finish_reason is a provider error', () => {
    const acc = new StreamAccumulator();
    acc.add(chunk({ content: 'Llevas' }));
    expect(() => acc.finish()).toThrow(LlmError);
  });

  it('finish_reason "error" is a provider error', () => {
    const acc = new StreamAccumulator();
    expect(() => acc.add(chunk({ content: '' }, 'error' as 'stop'))).toThrow(
      /finish_reason "error"/,
    );
  });
});
