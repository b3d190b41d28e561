/**
 * Egress destinations as BBS accepts them: an IP address, a CIDR or a range
 * ip1-ip2 with ip1 ≤ ip2, IPv4 or IPv6 (never mixed).
 */
import t, { type Test } from 'tap'
import { egressRuleErrors, parseDestination, type EgressRule } from '../../src/domain/egress.ts'

const V4_MAX = (1n << 32n) - 1n
const V6_MAX = (1n << 128n) - 1n

function valid (t: Test, text: string, family: 4 | 6, first: bigint, last: bigint = first) {
  t.same(parseDestination(text), { family, first, last, text }, text)
}

t.test('IPv4 addresses are four decimal octets 0-255', async t => {
  valid(t, '1.2.3.4', 4, 0x01020304n)
  valid(t, '0.0.0.0', 4, 0n)
  valid(t, '255.255.255.255', 4, V4_MAX)
  valid(t, '10.0.0.1', 4, 0x0a000001n)
  for (const bad of ['256.0.0.1', '300.1.1.1', '1.2.3', '1.2.3.4.5', '1..3.4', '', '.1.2.3', '1.2.3.', '-1.2.3.4',
    '1.2.3.4 ', ' 1.2.3.4', '0x1.2.3.4', '1.2.3.4\n', 'a.b.c.d', '1.2.3.1e1', '1234.1.1.1']) {
    t.equal(parseDestination(bad), undefined, JSON.stringify(bad))
  }
})

t.test('IPv4 octets with leading zeros are refused, as Go\'s net.ParseIP does', async t => {
  t.equal(parseDestination('01.2.3.4'), undefined)
  t.equal(parseDestination('1.2.3.010'), undefined)
  valid(t, '1.2.3.0', 4, 0x01020300n)
})

t.test('IPv6 addresses, with :: compression and a dotted IPv4 tail', async t => {
  valid(t, '::', 6, 0n)
  valid(t, '::1', 6, 1n)
  valid(t, '1::', 6, 1n << 112n)
  valid(t, '2001:db8::1', 6, (0x20010db8n << 96n) | 1n)
  valid(t, '1:2:3:4:5:6:7:8', 6, 0x0001000200030004000500060007_0008n)
  valid(t, 'FE80::AbCd', 6, (0xfe80n << 112n) | 0xabcdn)
  valid(t, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 6, V6_MAX)
  valid(t, '::ffff:1.2.3.4', 6, 0xffff_0102_0304n)
  valid(t, '::1.2.3.4', 6, 0x0102_0304n)
  valid(t, '1:2:3:4:5:6:1.2.3.4', 6, 0x0001000200030004000500060102_0304n)
  valid(t, '1:2:3:4:5:6:7::', 6, 0x0001000200030004000500060007_0000n)
})

t.test('malformed IPv6 addresses are refused', async t => {
  for (const bad of [':::', '1::2::3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8::', '::1:2:3:4:5:6:7:8',
    '12345::', 'g::1', ':1::', '1::2:', '1.2.3.4::', '::1.2.3.4:5', '1:2:3:4:5:6:7:1.2.3.4', '::ffff:1.2.3', '::ffff:256.1.1.1',
    'fe80::1%eth0', '[::1]', ':: 1']) {
    t.equal(parseDestination(bad), undefined, JSON.stringify(bad))
  }
})

t.test('a CIDR covers its whole block, its address masked to the prefix', async t => {
  valid(t, '10.0.0.0/8', 4, 0x0a000000n, 0x0affffffn)
  valid(t, '10.1.2.3/8', 4, 0x0a000000n, 0x0affffffn)
  valid(t, '0.0.0.0/0', 4, 0n, V4_MAX)
  valid(t, '1.2.3.4/32', 4, 0x01020304n)
  valid(t, '::/0', 6, 0n, V6_MAX)
  valid(t, '::1/128', 6, 1n)
  valid(t, '2001:db8::/32', 6, 0x20010db8n << 96n, (0x20010db8n << 96n) | ((1n << 96n) - 1n))
})

t.test('a CIDR prefix is 0-32 for IPv4 and 0-128 for IPv6', async t => {
  for (const bad of ['10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/', '10.0.0.0/8/8', '10.0.0.0/ 8', '10.0.0.0/1000', '/8',
    '10.0.0/8', '::/129', '2001:db8::/200', 'example.com/8']) {
    t.equal(parseDestination(bad), undefined, JSON.stringify(bad))
  }
})

t.test('a range ip1-ip2 needs ip1 ≤ ip2, both of one family', async t => {
  valid(t, '10.0.0.1-10.0.0.9', 4, 0x0a000001n, 0x0a000009n)
  valid(t, '10.0.0.5-10.0.0.5', 4, 0x0a000005n)
  valid(t, '::1-::ff', 6, 1n, 0xffn)
  for (const bad of ['10.0.0.9-10.0.0.1', '10.0.0.1-::1', '::1-10.0.0.1', '10.0.0.1-', '-10.0.0.1', '10.0.0.1--10.0.0.2',
    '10.0.0.1-10.0.0.2-10.0.0.3', '10.0.0.0/8-10.0.0.9', '10.0.0.1 - 10.0.0.9', '::2-::1']) {
    t.equal(parseDestination(bad), undefined, JSON.stringify(bad))
  }
})

t.test('host names are not destinations', async t => {
  for (const bad of ['example.com', 'localhost', 'a-b', '*']) t.equal(parseDestination(bad), undefined, bad)
})

t.test('egressRuleErrors names the sub-field each BBS rule is about', async t => {
  const errs = (rule: EgressRule) => egressRuleErrors(rule).map(e => e.field)
  t.same(errs({ protocol: 'tcp', destinations: ['10.0.0.1'], ports: [80] }), [])
  t.same(errs({ protocol: 'tcp', destinations: ['10.0.0.1'] }), ['ports'])
  t.same(errs({ protocol: 'udp', destinations: ['10.0.0.1'], ports: [53], port_range: { start: 1, end: 2 } }), ['ports'])
  t.same(errs({ protocol: 'tcp', destinations: ['10.0.0.1'], port_range: { start: 2, end: 1 } }), ['port_range'])
  t.same(errs({ protocol: 'icmp', destinations: ['10.0.0.1'] }), ['icmp_info'])
  t.same(errs({ protocol: 'icmpv6', destinations: ['::1'], icmp_info: { type: 1, code: 0 }, ports: [1] }), ['ports'])
  t.same(errs({ protocol: 'all', destinations: ['10.0.0.1'], icmp_info: { type: 1, code: 0 } }), ['icmp_info'])
  t.same(errs({ protocol: 'all', destinations: ['10.0.0.1', 'nope', '10.0.0.2-10.0.0.1'] }), ['destinations[1]', 'destinations[2]'])
})
