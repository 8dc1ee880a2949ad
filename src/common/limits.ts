/**
 * The input limits of SPEC §6, free of Nest imports so that pure code (the
 * CSV reader) and the unit tests can use them without loading the framework.
 */

/** `orderNo`: 1–64 characters of [A-Za-z0-9_.:-] (SPEC §6). */
export const ORDER_NO_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
export const MAX_CENTS = Number.MAX_SAFE_INTEGER;
export const MAX_APP_ID = 2147483647;
