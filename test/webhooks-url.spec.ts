import { urlProblem } from '../src/webhook/url-policy';
import { sign } from '../src/webhook/webhook-signature';
import { verify } from './support/webhook-receiver';

/** Webhook URL rules and signatures (pure functions; the e2e behaviour is in webhooks.spec.ts). */
describe('webhook URL rules', () => {
  it('production: https only, no loopback, private or link-local address', async () => {
    for (const url of [
      'http://93.184.216.34/hook',
      'https://127.0.0.1/hook',
      'https://localhost/hook',
      'https://10.1.2.3/hook',
      'https://172.16.0.1/hook',
      'https://192.168.1.1/hook',
      'https://169.254.169.254/latest',
      'https://[::1]/hook',
      'https://[fe80::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'ftp://93.184.216.34/hook',
      'not a url',
    ]) {
      expect([url, await urlProblem(url, true)]).toEqual([url, expect.any(String)]);
    }
    expect(await urlProblem('https://93.184.216.34/hook', true)).toBeNull();
  });

  it('development: http and localhost are fine', async () => {
    expect(await urlProblem('http://localhost:8080/hook', false)).toBeNull();
    expect(await urlProblem('http://127.0.0.1/hook', false)).toBeNull();
    expect(await urlProblem('ftp://x/hook', false)).not.toBeNull();
  });

  it('signatures verify as Standard Webhooks receivers check them', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const header = sign(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    // The example of the Standard Webhooks specification.
    expect(header).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    expect(verify(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', '1614265330', '{"test": 2432232314}', header)).toBe(true);
  });
});
