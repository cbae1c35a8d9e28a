package io.reliapi.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoginFormTest {
  @Test
  void readsTheKeyFieldDecodedWhereverItStands() {
    assertThat(LoginForm.key("key=abc")).isEqualTo("abc");
    assertThat(LoginForm.key("username=reliapi-admin&key=a%2Bb%2F%3D+c")).isEqualTo("a+b/= c");
    assertThat(LoginForm.key("keys=x&key=y")).isEqualTo("y");
  }

  @Test
  void hasNoKeyWhenTheFieldIsMissingOrMalformed() {
    assertThat(LoginForm.key("")).isNull();
    assertThat(LoginForm.key("username=x")).isNull();
    assertThat(LoginForm.key("key=%zz")).isNull();
    assertThat(LoginForm.key("=key")).isNull();
  }
}
