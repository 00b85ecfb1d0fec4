package audcheck;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/** The protected resource. Validation is micronaut-security-jwt's, from properties only. */
@Controller
public class Service {
    @Get(uri = "/protected", produces = MediaType.APPLICATION_JSON)
    @Secured(SecurityRule.IS_AUTHENTICATED)
    public String protectedResource() {
        return "{\"ok\":true}";
    }
}
