package io.fleetrun.kafkadist;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerMainTest {
  @TempDir Path dir;

  @Test
  void generatedClusterIdsNeverStartWithADash() {
    // one random id in 64 started with '-' and the storage tool read it as an option
    for (int i = 0; i < 20_000; i++) {
      String id = BrokerMain.newClusterId();
      assertFalse(id.startsWith("-"), id);
    }
  }

  @Test
  void formatsStorageEvenWithAClusterIdThatLooksLikeAnOption() throws Exception {
    BrokerMain.Options o = BrokerMain.Options.parse(new String[] {
      "--data-dir", dir.toString(), "--port", "19999", "--controller-port", "19998",
      "--cluster-id", "-AbCdEfGhIjKlMnOpQrStU"});
    BrokerMain.prepare(o);
    assertTrue(Files.exists(dir.resolve("logs/meta.properties")));
    assertTrue(Files.readString(dir.resolve("logs/meta.properties")).contains("cluster.id=-AbCdEfGhIjKlMnOpQrStU"));
  }
}
