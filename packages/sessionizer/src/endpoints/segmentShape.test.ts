import { shapeSlot, SLOTS } from './segmentShape';

describe('shapeSlot', () => {
  it.each([
    ['123', SLOTS.id],
    ['0', SLOTS.id],
    ['98765432109876543210', SLOTS.id],
    ['12345678', SLOTS.id], // not a plausible date (year 1234)
    ['20240501', SLOTS.date],
    ['2024-05-01', SLOTS.date],
    ['2024-05-01T12:00:00Z', SLOTS.date],
    ['550e8400-e29b-41d4-a716-446655440000', SLOTS.uuid],
    ['550E8400-E29B-41D4-A716-446655440000', SLOTS.uuid],
    ['da39a3ee5e6b4b0d3255bfef95601890afd80709', SLOTS.hash], // sha1
    ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', SLOTS.hash], // sha256
    ['507f1f77bcf86cd799439011', SLOTS.hash], // MongoDB ObjectId
    ['Zk3x9QmT7aPw2LrB', SLOTS.hash], // base64url token
    ['dGhpc0lzQVRva2VuXzEyMw-x_Y', SLOTS.hash],
    ['alice@example.com', SLOTS.email],
    ['bob.smith+tag%40mail.example.org', SLOTS.email],
    ['10.0.0.1', SLOTS.ip],
    ['255.255.255.255', SLOTS.ip],
  ])('%s is %s', (segment, slot) => {
    expect(shapeSlot(segment)).toBe(slot);
  });

  it.each([
    'users',
    'v1',
    'api',
    'listAllOrdersV2ForCustomer', // camelCase with a digit is a name, not a token
    'my-blog-post-2024-summer',
    'user_profile_2024_v2_final',
    'deadbeefdeadbeef', // hex but no digit
    '1234abcd', // too short for a hash
    '2024-13-01', // no month 13
    '256.1.1.1',
    '1.2.3',
    '@example.com',
    'alice@localhost',
    'alice@example.c0m',
    'index.html',
    '..',
    '',
    '%2F',
    'café',
  ])('%s is a literal', (segment) => {
    expect(shapeSlot(segment)).toBeUndefined();
  });

  it('leaves segments past the literal cap to the caller', () => {
    expect(shapeSlot('1'.repeat(300))).toBeUndefined();
  });
});
