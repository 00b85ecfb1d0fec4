//! Reconfigured services: one instance for every validator input. A service whose manifest
//! names a `configure_path` takes each new expected audience and issuer there (a POST of
//! JSON) instead of being started again, which saves a runtime's start per input (a JVM's
//! is seconds). Its answer may say where the protected path is now served (`url`).

use super::{HttpTarget, Instance, Key, died, key_of};
use crate::validator::keyserver::KeyServer;
use crate::validator::{Failure, Request, Verdict};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::Duration;

/// Takes the `url` a ready or configure answer gives, if any: it must be on loopback, as
/// every target audcheck starts is.
pub(super) fn moved(instance: &mut Instance, body: &str) -> Result<(), String> {
    let Some(url) = serde_json::from_str::<Value>(body).ok().and_then(|v| v["url"].as_str().map(str::to_string)) else {
        return Ok(());
    };
    // Parsed, not matched as text: "http://127.0.0.1:1@example.com" names example.com.
    let uri = url.parse::<ureq::http::Uri>().ok();
    let loopback = uri.as_ref().is_some_and(|u| {
        u.scheme_str() == Some("http")
            && matches!(u.host(), Some("127.0.0.1" | "localhost" | "[::1]"))
            && !u.authority().is_some_and(|a| a.as_str().contains('@'))
            // A base only: the protected path is appended to it.
            && matches!(u.path(), "" | "/")
            && u.query().is_none()
    });
    if !loopback {
        return Err(format!("the service named {url:?} as where it serves the cases; audcheck only sends to loopback (http://127.0.0.1:PORT)"));
    }
    instance.cases = url.trim_end_matches('/').to_string();
    Ok(())
}

impl HttpTarget {
    /// Every validator input in turn on the one instance, configured for it first.
    pub(super) fn verify_reconfigured(
        &self,
        requests: &[Request<'_>],
        keys: &[Key],
        instances: &mut HashMap<Key, Result<Instance, Failure>>,
    ) -> Vec<Result<Verdict, Failure>> {
        let slot = self.first_key();
        let mut results: Vec<Option<Result<Verdict, Failure>>> = vec![None; requests.len()];
        for key in keys {
            // Started again first when it died after the last case.
            if died(instances, &slot) {
                instances.insert(slot.clone(), self.relaunch(&slot));
            }
            let mut configured = self.configured(instances, &slot, key);
            let mut died_here = false;
            for (i, r) in requests.iter().enumerate().filter(|(_, r)| key_of(r) == *key) {
                results[i] = Some(match (&configured, instances.get_mut(&slot)) {
                    (Ok(()), Some(Ok(instance))) => self.send(instance, r),
                    (Err(why), _) => Err(why.clone()),
                    (_, Some(Err(why))) => Err(why.clone()),
                    (Ok(()), None) => Err(Failure::CannotStart("no service instance".into())),
                });
                if died(instances, &slot) {
                    // A service that died is started again for the next case, a bounded number
                    // of times; configured again once per input, so that a configuration that
                    // kills the service costs one restart, not one per case.
                    instances.insert(slot.clone(), self.relaunch(&slot));
                    configured = match configured {
                        Ok(()) if !died_here => self.configured(instances, &slot, key),
                        _ => Err(Failure::Crash("the service died serving this configuration".into())),
                    };
                    died_here = true;
                }
            }
        }
        results.into_iter().map(|r| r.expect("every request has its validator input's instance")).collect()
    }

    /// The instance in `slot`, configured for `key`. A refused configuration is the
    /// failure of that input's cases only: the next input is tried on the same instance.
    fn configured(&self, instances: &mut HashMap<Key, Result<Instance, Failure>>, slot: &Key, key: &Key) -> Result<(), Failure> {
        match instances.get_mut(slot) {
            Some(Ok(instance)) if instance.serving.as_ref() == Some(key) => Ok(()),
            Some(Ok(instance)) => self.configure(instance, key),
            Some(Err(why)) => Err(why.clone()),
            None => Err(Failure::CannotStart("no service instance".into())),
        }
    }

    fn configure(&self, instance: &mut Instance, key: &Key) -> Result<(), Failure> {
        let (audiences, issuer) = key;
        instance.serving = None;
        let issuer = issuer.clone().unwrap_or_default();
        let keys = KeyServer::get(self.service.keys_port).map_err(|e| Failure::CannotStart(e.to_string()))?;
        let body = json!({
            "audiences": audiences,
            "issuer": issuer,
            "jwks_url": keys.jwks_url(),
            "discovery_url": keys.discovery_url(&issuer),
            "options": self.service.options,
        });
        let url = format!("{}{}", instance.base, self.service.http.configure_path);
        let refused = |why: String| Failure::CannotStart(format!("the service did not take the configuration (audiences {audiences:?}, issuer {issuer:?}) at {url}: {why}"));
        // A configuration may start a whole application context: as long as a start may take.
        let wait = Duration::from_millis(self.service.http.ready_timeout_ms);
        let mut answer = instance
            .agent
            .post(&url)
            .config()
            .timeout_global(Some(wait))
            .build()
            .header("Content-Type", "application/json")
            .send(body.to_string())
            .map_err(|e| refused(e.to_string()))?;
        let status = answer.status();
        let text = answer.body_mut().read_to_string().unwrap_or_default();
        if !status.is_success() {
            return Err(refused(format!("{} {}", status.as_u16(), text.trim())));
        }
        moved(instance, &text).map_err(refused)?;
        instance.serving = Some(key.clone());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::moved;
    use crate::validator::http::Instance;

    fn instance() -> Instance {
        Instance { base: "http://127.0.0.1:1".into(), cases: "http://127.0.0.1:1".into(), serving: None, agent: ureq::Agent::new_with_defaults(), child: None, port: None, log: Default::default() }
    }

    #[test]
    fn only_loopback_urls_are_taken() {
        for ok in ["http://127.0.0.1:8080", "http://localhost:9/", "http://[::1]:8080"] {
            let mut i = instance();
            moved(&mut i, &format!("{{\"url\":\"{ok}\"}}")).unwrap();
            assert_eq!(i.cases, ok.trim_end_matches('/'));
        }
        for bad in ["http://127.0.0.1:8080/?x=", "http://127.0.0.1:8080/admin", "http://127.0.0.1:1@example.com", "http://127.0.0.1.example.com:80", "https://127.0.0.1:8443", "http://example.com:80", "file:///etc", "127.0.0.1:80"] {
            let mut i = instance();
            assert!(moved(&mut i, &format!("{{\"url\":\"{bad}\"}}")).is_err(), "{bad}");
            assert_eq!(i.cases, "http://127.0.0.1:1", "{bad}");
        }
        let mut i = instance();
        moved(&mut i, "not json, or json without a url").unwrap();
        assert_eq!(i.cases, "http://127.0.0.1:1");
    }
}
