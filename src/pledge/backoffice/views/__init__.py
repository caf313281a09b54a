"""Back-office views: sign-in (``signin``) and the screens (``screens``, ``customers``)."""
