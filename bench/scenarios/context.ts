export interface BenchContext {
  quick: boolean
  /** PostgreSQL runs with its defaults (fsync on); false: fsync off. */
  durable: boolean
  /** A fresh database on the run's one PostgreSQL server; returns its URL. */
  createDatabase (name: string): Promise<string>
}
