export interface ProxiedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  fault?: number | 'hang';
}
export interface FaultProxy {
  endpoint: string;
  requests: ProxiedRequest[];
  fail(count: number, status: number | undefined, match?: (r: ProxiedRequest) => boolean): void;
  reset(): void;
  close(): Promise<void>;
}
export function startFaultProxy(upstream: string): Promise<FaultProxy>;
