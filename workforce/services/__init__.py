"""The write paths: each public function is `<entity>_<action>(*, keyword, only)`."""
