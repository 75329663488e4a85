import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';

/**
 * A TCP proxy in front of the test database, so a test can make the database go away (connections refused and
 * cut), hang (connections accepted, never answered) and come back, without touching the server others use.
 */
export class TcpProxy {
  private mode: 'forward' | 'blackhole' = 'forward';
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  port = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static async start(targetHost: string, targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetHost, targetPort);
    await proxy.listen();
    return proxy;
  }

  /** The database URL with host and port replaced by the proxy's. */
  proxied(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  /** Refuses new connections and cuts the open ones: the database server is gone. */
  async down(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
    this.server = undefined;
  }

  /** Accepts connections but never answers: the database host stopped responding. */
  async hang(): Promise<void> {
    this.mode = 'blackhole';
    if (!this.server) await this.listen();
  }

  /** Forwards again, on the same port. */
  async up(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.mode = 'forward';
    if (!this.server) await this.listen();
  }

  close(): Promise<void> {
    return this.down();
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private listen(): Promise<void> {
    const server = createServer((client) => {
      this.track(client);
      if (this.mode === 'blackhole') return;
      const upstream = connect(this.targetPort, this.targetHost);
      this.track(upstream);
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }
}
