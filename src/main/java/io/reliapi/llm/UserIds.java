package io.reliapi.llm;

import io.reliapi.http.Digest;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The end user's id as each protocol takes it, when a translation carries it from one to the other (OpenAI's
 * {@code user}, Anthropic's {@code metadata.user_id}). An id the provider would refuse goes as its SHA-256 in hex:
 * 64 letters and digits, the same for the same id, so the provider still tells users apart. An email is never
 * sent in another form: an unsalted hash of an email is the very key that links a person across services, so such
 * an id is left out instead (Anthropic refuses emails; the field is optional on both sides), and so is a phone
 * number: its hash is undone by trying the few billion numbers there are.
 */
public final class UserIds {
  /** What the gateway sends Anthropic as written: letters, digits, {@code _} and {@code -}, at most 256. */
  private static final Pattern ANTHROPIC = Pattern.compile("[A-Za-z0-9_-]{1,256}");
  /** A phone number as people write it: 7 to 15 digits (E.164's most), a leading {@code +}, spaces, dots, dashes, brackets. */
  private static final Pattern PHONE = Pattern.compile("\\+?[0-9 .()-]{7,32}");
  /** OpenAI refuses a {@code user} over 64 characters. */
  private static final int OPENAI_MAX = 64;

  private UserIds() {}

  /** The id as OpenAI's {@code user}: as written up to 64 characters (Claude Code's are about 160). */
  public static Optional<String> forOpenAi(String userId) {
    return userId.length() <= OPENAI_MAX ? Optional.of(userId) : changed(userId);
  }

  /** The id as Anthropic's {@code metadata.user_id}: as written when Anthropic takes it. */
  public static Optional<String> forAnthropic(String user) {
    return ANTHROPIC.matcher(user).matches() ? Optional.of(user) : changed(user);
  }

  private static Optional<String> changed(String id) {
    return personal(id) ? Optional.empty() : Optional.of(new Digest().add(id).hex());
  }

  /** Whether {@code id} is an email or a phone number, whose plain hash would name the person. */
  private static boolean personal(String id) {
    if (id.indexOf('@') >= 0) {
      return true;
    }
    if (!PHONE.matcher(id).matches()) {
      return false;
    }
    long digits = id.chars().filter(c -> c >= '0' && c <= '9').count();
    return digits >= 7 && digits <= 15;
  }
}
