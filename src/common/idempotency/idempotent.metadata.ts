/** The metadata key of `@Idempotent()`: the operation's name (its own file, so the decorator and the interceptor do not import each other). */
export const IDEMPOTENT_KEY = 'ledger:idempotent';
