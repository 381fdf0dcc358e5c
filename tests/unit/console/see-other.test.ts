import { describe, expect, it } from 'vitest';
import { seeOther } from '../../../src/console/admin-auth.ts';

describe('the console’s redirect after a form', () => {
  it('keeps a short location whole, with its query and fragment', () => {
    const res = seeOther('/admin/incidents/abc?changed=api#update-1');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/incidents/abc?changed=api#update-1');
  });

  it('drops an overlong query or fragment built from a field, so the answer stays a valid response', () => {
    expect(seeOther(`/admin/incidents/abc?changed=${'x'.repeat(60_000)}`).headers.get('location')).toBe(
      '/admin/incidents/abc',
    );
    expect(seeOther(`/admin/incidents/abc#update-${'x'.repeat(60_000)}`).headers.get('location')).toBe(
      '/admin/incidents/abc',
    );
  });
});
