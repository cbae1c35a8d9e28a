import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The smallest Vert.x reverse proxy (forward, pipe back, nothing else): the floor any Vert.x gateway
 * stands on, measured beside ReliAPI so the benchmarks can tell the gateway's cost from the hop's.
 *   java -cp target/reliapi.jar bench/BareProxy.java LISTEN_PORT UPSTREAM_PORT
 */
public class BareProxy extends VerticleBase {
  private final int upstreamPort;
  private final int port;
  private HttpClient client;

  BareProxy(int port, int upstreamPort) {
    this.port = port;
    this.upstreamPort = upstreamPort;
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
    return vertx.createHttpServer().requestHandler(req -> {
      req.pause();
      client.request(new RequestOptions().setMethod(req.method()).setHost("127.0.0.1").setPort(upstreamPort)
              .setURI(req.uri()))
          .compose(out -> {
            out.headers().addAll(req.headers());
            return out.send(req);
          })
          .onSuccess(in -> {
            req.response().setStatusCode(in.statusCode());
            req.response().headers().addAll(in.headers());
            in.pipeTo(req.response());
          })
          .onFailure(e -> req.response().setStatusCode(502).end());
    }).listen(port, "127.0.0.1");
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int upstream = Integer.parseInt(args[1]);
    Vertx.vertx().deployVerticle(() -> new BareProxy(port, upstream),
        new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()));
  }
}
