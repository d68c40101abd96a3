import fc from 'fast-check';

/**
 * WhatsApp-shaped message and status objects whose field values are arbitrary (NULs, lone
 * surrogates, huge numbers, wrong types): what the webhook fuzzers sign and post.
 */
export function whatsappFieldArbitraries(): {
  message: fc.Arbitrary<Record<string, unknown>>;
  status: fc.Arbitrary<Record<string, unknown>>;
} {
  const nasty = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.constantFrom('\u0000', '\ud800', 'a\udc00b', '9'.repeat(40), '', ' '),
    fc.integer(),
    fc.double(),
    fc.constant(null),
  );
  const message = fc.record(
    {
      from: fc.oneof(fc.stringMatching(/^\d{5,20}$/), nasty),
      id: fc.oneof(fc.string({ minLength: 1, maxLength: 80, unit: 'binary' }), nasty),
      timestamp: fc.oneof(fc.stringMatching(/^\d{1,12}$/), nasty),
      type: fc.oneof(
        fc.constantFrom('text', 'audio', 'image', 'interactive', 'reaction', 'unsupported'),
        nasty,
      ),
      text: fc.record({ body: nasty }),
      interactive: fc.record({
        type: nasty,
        button_reply: fc.record({ id: nasty, title: nasty }),
      }),
    },
    { requiredKeys: [] },
  );
  const status = fc.record(
    {
      id: fc.oneof(fc.string({ minLength: 1 }), nasty),
      status: fc.oneof(fc.constantFrom('sent', 'delivered', 'read', 'failed'), nasty),
      timestamp: fc.oneof(fc.stringMatching(/^\d{1,12}$/), nasty),
      errors: fc.array(fc.record({ code: fc.oneof(fc.integer(), nasty), title: nasty })),
    },
    { requiredKeys: [] },
  );
  return {
    message: message as fc.Arbitrary<Record<string, unknown>>,
    status: status as fc.Arbitrary<Record<string, unknown>>,
  };
}
