package io.reliapi.store;

class InMemoryDeploymentStatesTest extends DeploymentStatesContract {
  @Override
  protected DeploymentStates newStates() {
    return new InMemoryDeploymentStates();
  }
}
