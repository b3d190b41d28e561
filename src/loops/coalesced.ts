/**
 * Runs `work` when woken; wake-ups that arrive while it runs fold into one more
 * run after it. The loops (scheduler claims, callback claims) are woken by
 * NOTIFY, polls and finished work at once, and one pass sees all of them.
 */
export function coalesced (work: () => Promise<void>, onError: (err: unknown) => void): () => void {
  let running = false
  let again = false
  const wake = (): void => {
    if (running) { again = true; return }
    running = true
    work()
      .catch(onError)
      .finally(() => {
        running = false
        if (again) { again = false; wake() }
      })
  }
  return wake
}
