package audcheck;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.core.SpringSecurityCoreVersion;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The protected resource. Security is Spring Boot's auto-configuration, from properties only. */
@SpringBootApplication
@RestController
public class Service {
    public static void main(String[] args) throws Exception {
        // audcheck reads the validating library's version from this line of the output.
        System.out.println("audcheck-version: " + SpringSecurityCoreVersion.getVersion());
        if (System.getProperty("spring.context.exit") != null) {
            // The install step's class-data-sharing training run: one context, then exit.
            SpringApplication.run(Service.class, args);
            return;
        }
        Contexts.serve(Integer.parseInt(System.getenv().getOrDefault("AUDCHECK_PORT", "0")));
    }

    @GetMapping("/protected")
    public String protectedResource() {
        return "{\"ok\":true}";
    }
}
