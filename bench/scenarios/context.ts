export interface BenchContext {
  quick: boolean
  /** A fresh database on the run's one PostgreSQL server; returns its URL. */
  createDatabase (name: string): Promise<string>
}
