import { Readable } from 'node:stream';
import { readTheirCsv } from '../../src/reconciliation/their-csv';

async function read(text: string) {
  const out = [];
  for await (const batch of readTheirCsv(Readable.from([text]), 'theirs.csv', 2)) out.push(...batch);
  return out;
}

describe('readTheirCsv', () => {
  it('reads orderNo,amount lines with their line numbers', async () => {
    expect(await read('a1,100\na2,-5\n')).toEqual([
      { line: 1, orderNo: 'a1', amount: 100 },
      { line: 2, orderNo: 'a2', amount: -5 },
    ]);
  });

  it('gives the entries in batches of the size asked, the last one shorter', async () => {
    const batches = [];
    for await (const b of readTheirCsv(Readable.from(['a1,1\na2,2\n', 'a3,3\n']), 'theirs.csv', 2)) batches.push(b);
    expect(batches.map((b) => b.map((e) => e.orderNo))).toEqual([['a1', 'a2'], ['a3']]);
  });

  it('skips a header line, blank lines, and accepts quotes, blanks around fields, CRLF, a missing last newline', async () => {
    expect(await read('orderNo,amount\r\n\r\n "b1" , "+7"\r\n   \r\nb2,0')).toEqual([
      { line: 3, orderNo: 'b1', amount: 7 },
      { line: 5, orderNo: 'b2', amount: 0 },
    ]);
  });

  it('takes only the first line as a header', async () => {
    await expect(read('a1,1\norderNo,amount\n')).rejects.toThrow(
      'theirs.csv line 2: expected orderNo,amount (got "orderNo,amount")',
    );
  });

  it.each([
    ['a third field', 'a1,1\na2,2,x\n', 'line 2: expected orderNo,amount (got "a2,2,x")'],
    ['a missing amount', 'a1,1\na2\n', 'line 2: expected orderNo,amount (got "a2")'],
    ['a decimal amount', 'a1,1\na2,1.5\n', 'line 2: expected orderNo,amount'],
    ['an amount beyond 2^53', 'a1,1\na2,9007199254740992\n', 'line 2: expected orderNo,amount'],
    ['an orderNo with a space', 'a1,1\na 2,1\n', 'line 2: expected orderNo,amount'],
    ['an unclosed quote', 'a1,1\n"a2,1\n', 'theirs.csv line'],
    ['a quoted field across lines, at the line it starts', 'a1,1\n"a\n2",1\n', 'line 2: expected orderNo,amount'],
  ])('refuses %s, naming the file and the line', async (_what, text, message) => {
    await expect(read(text)).rejects.toThrow(message);
  });
});
