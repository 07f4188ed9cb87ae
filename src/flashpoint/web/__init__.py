"""`flashpoint serve`: the web dashboard and its JSON API (``create_app``)."""
