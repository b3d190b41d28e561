/** A realistic desire: a run action, limits, two egress rules and a callback URL. */
export function benchDefinition (guid: string): Record<string, unknown> {
  return {
    guid,
    domain: 'bench',
    root_fs: 'docker:///library/busybox#1.36',
    action: { run: { path: '/bin/sh', args: ['-c', 'echo hello'], user: 'vcap', env: [{ name: 'MODE', value: 'bench' }] } },
    memory_mb: 256,
    disk_mb: 1024,
    cpu_weight: 50,
    max_pids: 100,
    egress_rules: [
      { protocol: 'tcp', destinations: ['10.0.0.0/8'], port_range: { start: 80, end: 443 } },
      { protocol: 'udp', destinations: ['8.8.8.8'], ports: [53] }
    ],
    completion_callback_url: 'https://hooks.example.com/taskbbs',
    log_guid: 'bench-log',
    annotation: 'benchmark task'
  }
}
